"""API docs that load with no Internet: Swagger UI and ReDoc from the assets that the
`fastapi-offline` package ships, served under /docs/static. No CDN (jsdelivr is slow or
unreachable in mainland China), no Google fonts, no remote favicon."""

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC_URL = "/docs/static"
# swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, favicon.png
ASSETS = files("fastapi_offline") / "static"


def install(app: FastAPI) -> None:
    """/docs and /redoc on `app`, which must be created with docs_url=None, redoc_url=None
    (FastAPI's "Self-hosting JavaScript and CSS for docs")."""
    app.mount(STATIC_URL, StaticFiles(directory=str(ASSETS)), name="docs-static")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{STATIC_URL}/favicon.png",
            oauth2_redirect_url=None,
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{STATIC_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{STATIC_URL}/favicon.png",
            with_google_fonts=False,
        )
