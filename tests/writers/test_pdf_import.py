"""What the PDF writer changes in reportlab as it is imported: a lazy URL pattern, a faster PDFDocEncoding."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from reegen.writers._pdf_import import LazyPattern


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_the_writer_leaves_only_the_url_pattern_uncompiled_and_re_as_it_was():
    out = _run(
        "import re; compile_before = re.compile\n"
        "import reegen.writers.pdf\n"
        "import reportlab.platypus.paragraph as p\n"
        "from reegen.writers._pdf_import import LazyPattern\n"
        "assert re.compile is compile_before\n"
        "assert type(p.uri_pat) is LazyPattern and p.uri_pat._compiled is None\n"
        "others = [v for v in vars(p).values() if isinstance(v, re.Pattern)]\n"
        "others += [v.__self__ for v in vars(p).values() if isinstance(getattr(v, '__self__', None), re.Pattern)]\n"
        "assert len(others) >= 7, others\n"
        "print(p.uri_pat.match('https://example.org/a?b=1').group(1))\n"
        "assert type(p.uri_pat._compiled) is re.Pattern and p.uri_pat.flags & re.IGNORECASE\n"
    )
    assert out == "https://"


def test_a_paragraph_module_imported_before_is_left_alone():
    out = _run(
        "import re, reportlab.platypus.paragraph as p\n"
        "import reegen.writers.pdf\n"
        "print(type(p.uri_pat) is re.Pattern)\n"
    )
    assert out == "True"


_URLS = st.one_of(
    st.sampled_from(["https://example.org/a/b", "HTTP://Example.ORG", "ftp://10.0.0.1:21/x", "https://[::1]/",
                     "https://bücher.example/ä", "https://localhost:8080/?q=1", "mailto:a@b", "https://-bad-.org",
                     "https://a.b.c.d.e.f/", "https://user:pw@host.example/path#frag", "example.org", ""]),
    st.text(alphabet=st.sampled_from(list("ab.-:/?#@[]1 ÄéЖ包xn")), max_size=40).map(lambda t: "https://" + t),
)


@given(_URLS)
def test_the_lazy_pattern_matches_as_the_compiled_one(url):
    import reportlab.platypus.paragraph as p

    source = p.uri_pat.pattern  # lazy or not, depending on which test imported reportlab first
    lazy, compiled = LazyPattern(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    ours, theirs = lazy.match(url), compiled.match(url)
    assert (ours and (ours.span(), ours.groups())) == (theirs and (theirs.span(), theirs.groups()))


def _encoded(encode, text):
    try:
        return encode(text)
    except UnicodeEncodeError as exc:
        return type(exc), exc.start, exc.end


@given(st.one_of(st.text(alphabet=st.sampled_from([chr(c) for c in range(128)] + list("éü€—“”\u00a0\u02d8\u2022包😀")),
                         max_size=30),
                 st.binary(max_size=10)))
def test_pdf_strings_encode_as_reportlabs_codec_encodes_them(text):
    from reportlab.pdfbase import pdfdoc
    from reegen.writers.pdf import pdfdoc_encode

    assert pdfdoc.pdfdocEnc is pdfdoc_encode  # installed when the writer is imported
    reportlabs = pdfdoc_encode.__defaults__[0]
    assert reportlabs is not pdfdoc_encode and reportlabs.__module__ == "reportlab.pdfbase.pdfdoc"
    assert _encoded(pdfdoc_encode, text) == _encoded(reportlabs, text)


def test_every_ascii_character_encodes_as_reportlabs_codec_encodes_it():
    from reegen.writers.pdf import pdfdoc_encode

    reportlabs = pdfdoc_encode.__defaults__[0]
    for code in range(128):
        for text in (chr(code), f"a{chr(code)}b" * 3):
            assert _encoded(pdfdoc_encode, text) == _encoded(reportlabs, text), code
