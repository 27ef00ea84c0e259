"""`codebot view`: the viewer as a small local web app (starlette on uvicorn), bound to 127.0.0.1 only.

Pages are rendered per request from the directory as it is now (a run still writing shows up on
reload). Files are served only from inside that directory: a path that resolves outside it (`..`, an
absolute path, a link out) is refused with 404. No page runs a script (Content-Security-Policy)."""
from __future__ import annotations

import mimetypes
from pathlib import Path

from codebot.extras import require
from codebot.view import load as load_site
from codebot.view.site import load as open_site
from codebot.view import render

HOST = "127.0.0.1"
CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; form-action 'self'"
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
SERVED_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".mp4", ".webm"}


def make_app(root: str | Path):
    """The ASGI app over `root` (a trace directory or a bench run directory; checked now, read per request)."""
    require("starlette", "view")
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse
    from starlette.routing import Route

    root = Path(root)
    cache: dict = {"signature": signature(root), "site": open_site(root)}  # a bad directory fails now

    def current():
        """The site, read again only when a file it is read from changed (a run still writing, say)."""
        now = signature(root)
        if now != cache["signature"]:
            cache.update(signature=now, site=open_site(root))
        return cache["site"]

    def html(body: str | None, status: int = 200):
        if body is None:
            return PlainTextResponse("not found", status_code=404, headers=HEADERS)
        return HTMLResponse(body, status_code=status, headers=HEADERS)

    async def episodes(request: Request):
        q = request.query_params
        return html(render.page(current(), "list", outcome_wanted=q.get("outcome", ""),
                                template=q.get("template", "")))

    async def episode(request: Request):
        return html(render.page(current(), "episode", key=request.path_params["key"]))

    async def bench(request: Request):
        site = current()
        return html(render.page(site, "bench") if site.bench is not None else None)

    async def files(request: Request):
        path = load_site.inside(root, request.path_params["path"])
        if path is None or path.suffix.lower() not in SERVED_TYPES:
            return PlainTextResponse("not found", status_code=404, headers=HEADERS)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileResponse(path, media_type=media_type, headers=HEADERS)

    return Starlette(routes=[Route("/", episodes), Route("/episode/{key}", episode), Route("/bench", bench),
                             Route("/files/{path:path}", files)])


def signature(root: Path) -> tuple:
    """(name, size, mtime) of the files a site is read from: the trace file, bench reports and ledgers."""
    path = root if root.is_file() else root / "episodes.jsonl"
    files = [path] if root.is_file() else [path, *root.glob("cap-tabletop-*.json"), *root.glob("*.trials.jsonl")]
    out = []
    for f in sorted(files):
        try:
            st = f.stat()
        except OSError:
            continue
        out.append((f.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def serve(root: str | Path, port: int = 8000, on_ready=None) -> None:
    """Serve until interrupted, on 127.0.0.1:`port` (0: any free port; `on_ready(url)` is told which)."""
    uvicorn = require("uvicorn", "view")
    app = make_app(root)
    config = uvicorn.Config(app, host=HOST, port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    if on_ready is not None:
        original = server.startup

        async def startup(sockets=None):
            await original(sockets=sockets)
            bound = [s.getsockname()[1] for srv in server.servers for s in srv.sockets] or [port]
            on_ready(f"http://{HOST}:{bound[0]}/")
        server.startup = startup
    server.run()
