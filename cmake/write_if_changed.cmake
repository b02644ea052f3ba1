# write_if_changed(<file> <content>): writes only when the content differs, so an unchanged
# embedded source keeps its timestamp and nothing recompiles. Used by the embed_*.cmake scripts.
function(write_if_changed file content)
  set(old "")
  if(EXISTS "${file}")
    file(READ "${file}" old)
  endif()
  if(NOT old STREQUAL content)
    file(WRITE "${file}" "${content}")
  endif()
endfunction()
