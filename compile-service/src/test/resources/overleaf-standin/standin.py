"""A stand-in for Overleaf's sharelatex service in the Compose stack's tests.

  serve     the filestore as Overleaf 5.2.1's web reaches it: GET /project/<project>/file/<file>
            on port 3009, every address, from the files beside this script (files/<file>);
            GET /requests says how many downloads each path had.
  compile   a compile as 5.2.1's web sends one (ClsiManager): a full sync to
            http://compile-service:3013/project/<id>/user/<id>/compile, documents inline, binary
            files by their filestore URL, http://${FILESTORE_HOST}:3009/project/<id>/file/<id>,
            with FILESTORE_HOST as /etc/overleaf/env.sh (the stack's) sets it, and `modified`;
            prints the answer as JSON, then the PDF it names, base64.
"""
import base64
import collections
import http.server
import json
import os
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = "5f0c1b2a3d4e5f6a7b8c9d0e"
USER = "5f0c1b2a3d4e5f6a7b8c9d0f"
FILE = "5f0c1b2a3d4e5f6a7b8c9d10"
DOWNLOADS = collections.Counter()


class Filestore(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        parts = self.path.split("/")
        if self.path == "/requests":
            self.answer(200, json.dumps(DOWNLOADS).encode(), "application/json")
        elif len(parts) == 5 and parts[1] == "project" and parts[3] == "file" and parts[4].isalnum():
            DOWNLOADS[self.path] += 1
            path = os.path.join(HERE, "files", parts[4])
            if os.path.isfile(path):
                with open(path, "rb") as content:
                    self.answer(200, content.read(), "application/octet-stream")
            else:
                self.answer(404, b"", "text/plain")
        else:
            self.answer(404, b"", "text/plain")

    def answer(self, status, body, kind):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def filestore_host():
    """FILESTORE_HOST as web's services read it: from /etc/overleaf/env.sh, which they source."""
    with open("/etc/overleaf/env.sh") as env:
        for line in env:
            if line.startswith("export FILESTORE_HOST="):
                value = line.split("=", 1)[1].strip()
                # ${NAME:-default}: the stand-in's environment does not set NAME.
                return value[value.index(":-") + 2:-1] if value.startswith("${") else value
    return "127.0.0.1"


def compile_as_web():
    main = ("\\documentclass{article}\n\\usepackage{graphicx}\n\\begin{document}\n"
            "Sent as Overleaf sends it. \\includegraphics[width=2cm]{figures/square.png}\n\\end{document}\n")
    request = {"compile": {
        "options": {"compiler": "pdflatex", "timeout": 240, "draft": False, "check": "silent",
                    "syncType": "full", "syncState": "standin-1", "compileGroup": "standard",
                    "enablePdfCaching": False, "stopOnFirstError": False,
                    "metricsPath": "", "metricsMethod": "standard"},
        "rootResourcePath": "main.tex",
        "resources": [
            {"path": "main.tex", "content": main},
            {"path": "figures/square.png", "url": "http://%s:3009/project/%s/file/%s" % (filestore_host(), PROJECT, FILE),
             "modified": 1733300000000},
        ]}}
    call = urllib.request.Request(
        "http://compile-service:3013/project/%s/user/%s/compile" % (PROJECT, USER),
        data=json.dumps(request).encode(), headers={"Content-Type": "application/json"})
    answer = json.load(urllib.request.urlopen(call, timeout=240))
    print(json.dumps(answer))
    pdf = [f for f in answer["compile"]["outputFiles"] if f["path"] == "output.pdf"]
    if pdf:
        print(base64.b64encode(urllib.request.urlopen(pdf[0]["url"], timeout=60).read()).decode())


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        http.server.ThreadingHTTPServer(("0.0.0.0", 3009), Filestore).serve_forever()
    elif sys.argv[1:] == ["compile"]:
        compile_as_web()
    else:
        sys.exit("usage: standin.py serve|compile")
