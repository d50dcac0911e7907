"""Building a brief from inside another program leaves that program's interpreter and reportlab as they were."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import REPO

#: a host program: it writes a PDF with reportlab itself, then builds a brief through reegen's API
_HOST = r'''
import gc, io, json, re, sys
import reportlab.pdfbase.pdfdoc, reportlab.pdfbase.ttfonts, reportlab.pdfbase.pdfmetrics
import reportlab.pdfgen.canvas, reportlab.platypus, reportlab.platypus.paragraph, reportlab.rl_config
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

# (reportlab fills some tables of its own on first use: the host's document does that first)
SimpleDocTemplate(io.BytesIO()).build([Paragraph('<font color="#1f4e79">The host\'s own</font> <b>PDF</b>',
                                                 getSampleStyleSheet()["BodyText"])])
reportlab.lib.utils.open_and_read(reportlab.__file__)  # (reportlab 4 sets up its file opener on first use)
colours = dict(reportlab.lib.colors.toColor.extraColorsNS)

def snapshot():
    return {f"{name}.{key}": id(value) for name, module in list(sys.modules.items())
            if name.split(".")[0] == "reportlab" and module is not None for key, value in vars(module).items()}

compile_before, before = re.compile, snapshot()
import reegen.api
import reegen.writers.pdf as pdf

during = []
render = pdf.render_pdf

def watched(document, options, **kwargs):
    during.append(gc.isenabled())
    return render(document, options, **kwargs)

pdf.render_pdf = watched
result = reegen.api.build(sys.argv[1], formats=["pdf"], out_dir=sys.argv[2], force=True)
after = snapshot()
print(json.dumps({
    "written": result.outputs["pdf"].stat().st_size > 1000,
    "collector during the build": during,
    "collector after": gc.isenabled(),
    "re.compile unchanged": re.compile is compile_before,
    "reportlab globals replaced": sorted(k for k in before if k in after and after[k] != before[k]),
    "reportlab colour names unchanged": reportlab.lib.colors.toColor.extraColorsNS == colours,
}))
'''


def test_a_build_inside_a_host_program_changes_nothing_of_the_hosts(tmp_path):
    result = subprocess.run([sys.executable, "-c", _HOST, str(REPO / "briefs" / "baotou-executive.yaml"),
                             str(tmp_path)], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "written": True,
        "collector during the build": [True],  # not paused: the host never asked (see reegen.collector)
        "collector after": True,
        "re.compile unchanged": True,
        "reportlab globals replaced": [],
        "reportlab colour names unchanged": True,
    }
