"""The episode and benchmark viewer: `codebot view DIR` (a local web app on 127.0.0.1) and `codebot report
DIR -o report.html` (the same pages as one self-contained file). Needs the `view` extra (Jinja2,
starlette, uvicorn); `load` reads traces and bench runs with the standard library only."""
