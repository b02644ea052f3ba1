// The fixture mails declared in fixtures.hpp.
#include "fixtures.hpp"

namespace gc::test::mail {

// RFC 2047 in several charsets, adjacent encoded words, groups, IDN, threading headers.
const std::string headers_2047 = R"(From: =?ISO-8859-1?Q?Andr=E9_Pirard?= <PIRARD@vm1.ULG.ac.be>
To: =?UTF-8?B?SsO2cmc=?= <joerg@xn--bcher-kva.example>, "Team Lead" <Lead@Example.COM>
Cc: Team: alice@x.example, "Bob" <bob@y.example>;, carol@z.example
Bcc: undisclosed-recipients:;
Reply-To: =?utf-8?q?Support_=E2=9C=93?= <help@example.org>
Subject: =?UTF-8?B?SGVsbG8gw7xiZXI=?= =?UTF-8?Q?_w=C3=B6rld?= and =?ISO-8859-1?Q?caf=E9?=
Message-ID: <ABC.123@Mail.Example.COM>
Date: Thu, 13 Feb 2020 23:32:00 -0330
In-Reply-To: <parent@Example.com>
References: <root@EXAMPLE.com>
 <parent@Example.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Grüße aus Köln.
)";

const std::string malformed_words = R"(From: x@example.com
Subject: =?UTF-8?Q?broken =?utf-8?B?@@@?= =?x-unknown-cs?Q?abc=E9?= end =?UTF-8?B?
Message-ID: <m1@example.com>
Date: Mon, 2 Jan 2006 15:04:05 +0000

body
)";

// Raw 8-bit latin-1 in a header (no encoded words) and an unknown body charset.
const std::string eight_bit_header = "From: \xe9t\xe9 <ete@example.com>\n"
                                            "Subject: Caf\xe9 cr\xe8me\n"
                                            "Message-ID: <8bit@example.com>\n"
                                            "Date: Mon, 2 Jan 2006 15:04:05 +0000\n"
                                            "Content-Type: text/plain; charset=x-foo\n"
                                            "\n"
                                            "na\xefve body\n";

const std::string rfc2231 = R"(From: a@example.com
To: b@example.com
Subject: report
Message-ID: <2231@example.com>
Date: Tue, 1 Mar 2022 10:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

See attached.
--b1
Content-Type: application/pdf
Content-Disposition: attachment;
 filename*0*=UTF-8''Quarterly%20Report%20;
 filename*1*=%E2%80%94%20Q3.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcOkw7zDtsOfCg==
--b1
Content-Type: text/plain; name="=?UTF-8?Q?notiz_=C3=BCber.txt?="
Content-Disposition: attachment
Content-Transfer-Encoding: quoted-printable

note
--b1--
)";

const std::string cp1252_qp = R"(From: a@example.com
To: b@example.com
Subject: prices
Message-ID: <qp@example.com>
Date: Tue, 1 Mar 2022 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=XYZ

--XYZ
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

Price: =80 100, =93quoted=94 and it=92s caf=E9. A long line that is soft-=
wrapped.
--XYZ
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Latin-1 label: =80 caf=E9
--XYZ--
)";

const std::string japanese = R"(From: =?ISO-2022-JP?B?GyRCMnE1RBsoQg==?= <jp@example.jp>
To: b@example.com
Subject: =?ISO-2022-JP?B?GyRCMnE1RBsoQg==?=
Message-ID: <jp@example.jp>
Date: Wed, 2 Mar 2022 09:00:00 +0900
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=J

--J
Content-Type: text/plain; charset=ISO-2022-JP
Content-Transfer-Encoding: base64

GyRCJDMkcyRLJEEkTyEiQCQzJiEjJUYlOSVIGyhC
--J
Content-Type: text/plain; charset=Shift_JIS
Content-Transfer-Encoding: base64

grGC8YLJgr+CzYFBkKKKRYFCg2WDWINn
--J--
)";

const std::string html_only = R"(From: news@example.com
To: b@example.com
Subject: newsletter
Message-ID: <html@example.com>
Date: Wed, 2 Mar 2022 09:00:00 +0000
List-Id: Example News <news.example.com>
List-Unsubscribe: <mailto:unsub@example.com>
Precedence: bulk
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<!DOCTYPE html><html><head><title>T</title><style>p { color: red; }</style>
<script>alert("x")</script></head>
<body><h1>Fund&nbsp;Update</h1><p>Caf&eacute; &amp; cr&egrave;me &lt;3&gt;</p>
<ul><li>First</li><li>Second <b>bold</b></li></ul>
<p>Visit <a href="https://example.com/deal">our deal room</a> or
<a href="https://example.com">https://example.com</a>.<br>Line two<br/>Line three</p>
<div>   spaced     out
text</div><!-- hidden comment --><script>var x = "<p>no</p>";</script>
</body></html>
)";

const std::string alternative = R"(From: a@example.com
To: b@example.com
Subject: alt
Message-ID: <alt@example.com>
Date: Wed, 2 Mar 2022 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary=ALT

--ALT
Content-Type: text/plain; charset=utf-8

The plain version.
--ALT
Content-Type: text/html; charset=utf-8

<p>The <b>HTML</b> version.</p>
--ALT--
)";

const std::string related = R"(From: a@example.com
To: b@example.com
Subject: logo
Message-ID: <rel@example.com>
Date: Wed, 2 Mar 2022 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=MIX

--MIX
Content-Type: multipart/alternative; boundary=ALT

--ALT
Content-Type: text/plain; charset=utf-8

See the logo.
--ALT
Content-Type: multipart/related; boundary=REL; type="text/html"

--REL
Content-Type: text/html; charset=utf-8

<p>See the <img src="cid:logo@example.com" alt="logo"></p>
--REL
Content-Type: image/png
Content-ID: <logo@example.com>
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--REL--
--ALT--
--MIX
Content-Type: application/octet-stream; name=data.bin
Content-Transfer-Encoding: base64

AAECAw==
--MIX--
)";

const std::string forwarded = R"(From: fwd@example.com
To: b@example.com
Subject: Fwd: term sheet
Message-ID: <fwd@example.com>
Date: Wed, 2 Mar 2022 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=OUT

--OUT
Content-Type: text/plain; charset=utf-8

See below.
--OUT
Content-Type: message/rfc822
Content-Disposition: attachment

From: =?UTF-8?Q?Zo=C3=AB?= <zoe@founder.example>
To: fwd@example.com
Subject: term sheet
Message-ID: <Inner@Founder.Example>
Date: Tue, 1 Mar 2022 08:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=IN

--IN
Content-Type: text/plain; charset=utf-8

Inner text, not the outer body.
--IN
Content-Type: application/pdf; name="terms.pdf"
Content-Disposition: attachment; filename="terms.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--IN--
--OUT--
)";

const std::string no_id_a = R"(From: Ann <ann@example.com>
To: Zed <zed@example.com>, bob@example.com
Cc: carl@example.com
Subject: no id here
Date: Wed, 2 Mar 2022 09:00:00 +0000

Hello without an id.
)";

const std::string no_id_b = R"(From: Ann <ann@example.com>
To: Zed <zed@example.com>, bob@example.com
Cc: carl@example.com
Subject: no id here
Date: Wed, 2 Mar 2022 09:00:00 +0000

A different body.
)";

const std::string broken_date = R"(From: a@example.com
Subject: when?
Message-ID: <date@example.com>
Date: sometime next week, probably

body
)";

const std::string empty_body = R"(From: a@example.com
To: b@example.com
Subject: (empty)
Message-ID: <empty@example.com>
Date: Wed, 2 Mar 2022 09:00:00 +0000
Content-Type: multipart/mixed; boundary=E

--E
Content-Type: text/plain

--E--
)";

} // namespace gc::test::mail
