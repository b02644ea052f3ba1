// The translation unit of a precompiled-header holder target (gc_pch_<flavour> in
// CMakeLists.txt): the target exists only to compile its flavour's PCH once, for every target
// that reuses it. It defines nothing.
