"""The FastAPI application: a read-only JSON API over one store, the map page, and guarded writes.

Security defaults: reads go through read-only SQLite connections; POST /articles exists only
when a token is configured and checks it on every request (constant-time compare); request
bodies are capped; CORS is closed unless origins are given; the page is served with a
Content-Security-Policy that allows scripts from this origin only.
"""

# No `from __future__ import annotations`: FastAPI resolves the route annotations (closures) at runtime.
import hmac
import importlib
import json
import threading
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from sitrep.api import models as m
from sitrep.api.query import BadQuery, Filters, Reader
from sitrep.errors import SitrepError
from sitrep.schema import Article, Event, EventType, Mention, Modality, SourceType, SubEventType

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
STATIC_DIR = WEB_DIR / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
#: Above this many matching points /events.geojson answers grid clusters (cluster=auto).
CLUSTER_FROM = 2000
DEFAULT_MAX_BODY = 2_000_000

_400 = {400: {"model": m.Problem, "description": "a parameter that cannot be honoured"}}
_404 = {404: {"model": m.Problem, "description": "no such record"}}


class Settings:
    def __init__(
        self,
        db: Path,
        *,
        token: str | None = None,
        cors_origins: tuple[str, ...] = (),
        tile_url: str | None = None,
        tile_attribution: str | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY,
    ):
        if token is not None and len(token) < 16:
            raise SitrepError("the write token is shorter than 16 characters; use a long random one (e.g. `openssl rand -hex 32`)")
        if tile_url is not None and urlsplit(tile_url).scheme not in ("http", "https"):
            raise SitrepError(f"tile URL {tile_url!r}: give an http(s) URL template such as https://tiles.example.org/{{z}}/{{x}}/{{y}}.png")
        self.db, self.token, self.cors_origins = db, token, cors_origins
        self.tile_url, self.tile_attribution, self.max_body_bytes = tile_url, tile_attribution, max_body_bytes


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None or not value.strip():
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise BadQuery("bbox must be four numbers: west,south,east,north (degrees)") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise BadQuery("bbox out of range: longitudes in [-180, 180], latitudes in [-90, 90], south <= north")
    return west, south, east, north


def _content_security_policy(tile_url: str | None) -> str:
    img = "'self' data:"
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
        img += f" {parts.scheme}://{host}"
    return (
        "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        f"img-src {img}; style-src 'self' 'unsafe-inline'; connect-src 'self'; form-action 'none'"
    )


def _segments(text: str, spans: list[tuple[int, int, m.Mark]]) -> list[m.Segment]:
    """Cut ``text`` at every span boundary; each piece lists the marks covering it."""
    cuts = {0, len(text)}
    for start, end, _ in spans:
        cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        if a == b:
            continue
        marks = [mark for s, e, mark in spans if s <= a and b <= e]
        out.append(m.Segment(start=a, end=b, text=text[a:b], marks=marks))
    return out


def create_app(
    db: str | Path,
    *,
    token: str | None = None,
    cors_origins: tuple[str, ...] | list[str] = (),
    tile_url: str | None = None,
    tile_attribution: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY,
) -> FastAPI:
    """The API and page over the SQLite store ``db`` (raises StoreError when it is not one)."""
    settings = Settings(
        Path(db),
        token=token or None,
        cors_origins=tuple(cors_origins),
        tile_url=tile_url or None,
        tile_attribution=tile_attribution,
        max_body_bytes=max_body_bytes,
    )
    reader = Reader(settings.db)
    write_lock = threading.Lock()
    csp = _content_security_policy(settings.tile_url)

    app = FastAPI(
        title="sitrep",
        summary="Conflict events from news text, with the evidence: a read-only API over one sitrep store.",
        version="1",
    )
    app.state.settings = settings
    app.state.reader = reader

    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET"], allow_headers=[])

    @app.middleware("http")
    async def headers_and_body_limit(request: Request, call_next):
        if request.method in ("POST", "PUT", "PATCH"):
            length = request.headers.get("content-length")
            if length is None:
                return JSONResponse({"detail": "send a Content-Length header (chunked bodies are not accepted)"}, status_code=411)
            if not length.isdigit() or int(length) > settings.max_body_bytes:
                return JSONResponse({"detail": f"request body over {settings.max_body_bytes} bytes; send a smaller article"}, status_code=413)
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Content-Security-Policy", csp)
        return response

    @app.exception_handler(BadQuery)
    async def bad_query(_request: Request, exc: BadQuery):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    # ------------------------------------------------------------------ shared pieces

    @lru_cache(maxsize=32)
    def outlets_of_type(source_type: str, _version: tuple) -> tuple[str, ...]:
        from sitrep.resolve.sources import classify_source

        return tuple(o for o in reader.outlets() if classify_source(o)[1].value == source_type)

    def filters(
        since: Annotated[date | None, Query(description="first day, inclusive")] = None,
        until: Annotated[date | None, Query(description="last day, inclusive")] = None,
        bbox: Annotated[str | None, Query(description="west,south,east,north in degrees", max_length=100)] = None,
        admin1: Annotated[str | None, Query(max_length=100, description="governorate, ACLED spelling")] = None,
        event_type: Annotated[list[EventType] | None, Query(description="repeat for several")] = None,
        sub_event_type: Annotated[list[SubEventType] | None, Query(description="repeat for several")] = None,
        actor: Annotated[str | None, Query(max_length=200, description="substring of actor1/actor2/associated actors")] = None,
        source: Annotated[str | None, Query(max_length=200, description="substring of the outlet or source name")] = None,
        source_type: Annotated[SourceType | None, Query(description="an outlet of this type reported it, or a claimant of this type")] = None,
        modality: Annotated[list[Modality] | None, Query(description="repeat for several")] = None,
        min_fatalities: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
        q: Annotated[str | None, Query(max_length=200, description="text in the notes or the evidence sentences")] = None,
    ) -> Filters:
        f = Filters(
            since=since,
            until=until,
            bbox=_bbox(bbox),
            admin1=(admin1 or "").strip() or None,
            event_type=[e.value for e in event_type or []],
            sub_event_type=[e.value for e in sub_event_type or []],
            actor=(actor or "").strip() or None,
            source=(source or "").strip() or None,
            source_type=source_type.value if source_type else None,
            modality=[e.value for e in modality or []],
            min_fatalities=min_fatalities,
            q=(q or "").strip() or None,
        )
        if f.source_type:
            f.source_outlets = list(outlets_of_type(f.source_type, reader.version()))
        return f

    Filtered = Annotated[Filters, Depends(filters)]

    def load_event(event_id: str) -> Event:
        row = reader.record(event_id)
        if row is None:
            raise HTTPException(404, f"no event {event_id!r} in this store")
        event = Event.model_validate_json(row[0])
        event.created_at, event.updated_at = datetime.fromisoformat(row[1]), datetime.fromisoformat(row[2])
        return event

    # ------------------------------------------------------------------ events

    @app.get("/events", response_model=m.EventPage, responses=_400, tags=["events"])
    def list_events(
        f: Filtered,
        sort: Literal["event_date", "-event_date", "fatalities", "-fatalities"] = "event_date",
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        cursor: Annotated[str | None, Query(max_length=500, description="next_cursor of the previous page")] = None,
    ):
        """Events matching the filters, one page at a time (keyset pagination: stable while paging)."""
        items, next_cursor = reader.page(f, sort, limit, cursor)
        return {"items": items, "total": reader.count(f), "next_cursor": next_cursor}

    @app.get("/events.geojson", response_model=m.FeatureCollection, responses=_400, tags=["events"])
    def events_geojson(
        f: Filtered,
        cluster: Literal["auto", "always", "never"] = "auto",
        zoom: Annotated[int | None, Query(ge=0, le=22, description="map zoom: sets the cluster cell size")] = None,
        limit: Annotated[int, Query(ge=1, le=100_000)] = 20_000,
    ):
        """Events with coordinates as GeoJSON points, or as grid clusters when dense (over 2,000 points)."""
        points_total = reader.count(_located(f))
        if cluster == "always" or (cluster == "auto" and points_total > CLUSTER_FROM):
            cell = 360 / 2 ** (zoom if zoom is not None else 6) * 48 / 256  # ~48 px cells
            features = [
                {
                    "type": "Feature",
                    "id": f"cell:{gx}:{gy}",
                    "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                    "properties": {"cluster": True, "count": n, "fatalities": fat or 0, "event_type": etype, "event_id": eid},
                }
                for gx, gy, n, fat, lon, lat, eid, etype in reader.clusters(f, cell)
            ]
            return {"type": "FeatureCollection", "features": features, "total": points_total, "clustered": True, "truncated": False}
        rows = reader.points(f, limit)
        keys = ("event_date", "event_type", "sub_event_type", "fatalities", "location", "actor1", "actor2", "modality")
        features = [
            {
                "type": "Feature",
                "id": r[0],
                "geometry": {"type": "Point", "coordinates": [r[1], r[2]]},
                "properties": {"event_id": r[0], **dict(zip(keys, r[3:], strict=True))},
            }
            for r in rows
        ]
        return {"type": "FeatureCollection", "features": features, "total": points_total, "clustered": False, "truncated": points_total > len(rows)}

    @app.get("/events/{event_id}", response_model=m.EventDetail, responses=_404, tags=["events"])
    def get_event(event_id: str):
        """One event with its claims and evidence, the fused mentions and why they were joined."""
        event = load_event(event_id)
        mentions = [Mention.model_validate_json(r) for r in reader.mention_records(event.mention_ids)]
        ids = list(dict.fromkeys([*event.article_ids, *(e.article_id for e in event.evidence)]))
        heads = [dict(zip(("id", "external_id", "title", "url", "outlet", "published"), r, strict=True)) for r in reader.article_heads(ids)]
        return {"event": event, "mentions": mentions, "why": event.fusion, "articles": heads}

    # ------------------------------------------------------------------ articles

    @app.get("/articles/{article_id}", response_model=m.ArticleView, responses=_404, tags=["articles"])
    def get_article(article_id: str):
        """The cleaned article text cut into segments; evidence and claim spans are marked with their events."""
        record = reader.article_record(article_id)
        if record is None:
            raise HTTPException(404, f"no article {article_id!r} in this store")
        article = Article.model_validate_json(record)
        keys = [k for k in (article.id, article.external_id) if k]
        spans: dict[str, list[tuple[int, int, m.Mark]]] = {"text": [], "title": []}
        event_ids: list[str] = []
        for event_id, kind, field, start, end, claimant in reader.article_spans(keys):
            spans.setdefault(field, []).append((start, end, m.Mark(event_id=event_id, kind=kind, claimant=claimant)))
            event_ids.append(event_id)
        return {
            "id": article.id,
            "external_id": article.external_id,
            "title": article.title,
            "url": article.url,
            "outlet": article.outlet,
            "published": article.published,
            "text": article.text,
            "title_segments": _segments(article.title, spans["title"]),
            "segments": _segments(article.text, spans["text"]),
            "event_ids": list(dict.fromkeys(event_ids)),
        }

    @app.post(
        "/articles",
        response_model=m.IngestResult,
        status_code=201,
        tags=["articles"],
        responses={
            400: {"model": m.Problem},
            401: {"model": m.Problem},
            403: {"model": m.Problem},
            411: {"model": m.Problem},
            413: {"model": m.Problem},
            415: {"model": m.Problem},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": m.ArticleIn.model_json_schema()},
                    "text/plain": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
                },
            }
        },
    )
    async def post_article(
        request: Request,
        authorization: Annotated[str | None, Header()] = None,
        title: Annotated[str | None, Query(max_length=500)] = None,
        url: Annotated[str | None, Query(max_length=2000)] = None,
        outlet: Annotated[str | None, Query(max_length=200)] = None,
        published: date | None = None,
        id: Annotated[str | None, Query(max_length=200)] = None,
    ):
        """Ingest one article (JSON, plain text or HTML) and re-fuse. Needs `Authorization: Bearer <token>`."""
        if settings.token is None:
            raise HTTPException(403, "writes are disabled on this server; start it with a token (sitrep serve --token-file FILE)")
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), settings.token.encode()):
            raise HTTPException(401, "missing or wrong token: send the header `Authorization: Bearer <token>`", headers={"WWW-Authenticate": "Bearer"})
        body = await request.body()
        if len(body) > settings.max_body_bytes:
            raise HTTPException(413, f"request body over {settings.max_body_bytes} bytes; send a smaller article")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        article = _article_from_body(body, kind, title=title, url=url, outlet=outlet, published=published, external_id=id)
        return _ingest(article)

    def _ingest(article: Article) -> dict[str, Any]:
        from sitrep.pipeline import Pipeline, ingest_articles
        from sitrep.store import SQLiteStore

        with write_lock, SQLiteStore(settings.db) as store:
            result = ingest_articles(_pipeline(Pipeline), store, [article])
            event_ids = [e.event_id for e in store.events() if article.id in e.article_ids or (article.external_id and article.external_id in e.article_ids)]
        outlets_of_type.cache_clear()
        return {"article_id": article.display_id, "stored": result.skipped == 0, "mentions": len(result.mentions), "event_ids": event_ids}

    # ------------------------------------------------------------------ actors and places

    @app.get("/actors", response_model=list[m.ActorSummary], tags=["actors"])
    def list_actors(
        q: Annotated[str | None, Query(max_length=200, description="name or alias (fuzzy)")] = None,
        with_events: Annotated[bool, Query(description="only actors that appear in this store's events")] = False,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ):
        """Actors of the knowledge base with how many stored events name them (actor1 or actor2)."""
        kb = _actor_kb()
        counts = _actor_counts(reader.version())
        actors = [a for a, _score in kb.search(q, limit=limit)] if q and q.strip() else list(kb)
        out = [
            {"actor_id": a.id, "name": a.name, "inter": a.inter, "country": a.country, "events": counts.get(a.id, 0)}
            for a in actors
            if not with_events or counts.get(a.id)
        ]
        if not q:
            out.sort(key=lambda a: (-a["events"], a["name"]))
        return out[:limit]

    @lru_cache(maxsize=4)
    def _actor_counts(_version: tuple) -> dict[str, int]:
        return reader.actor_counts()

    @app.get("/actors/{actor_id}", response_model=m.ActorDetail, responses=_404, tags=["actors"])
    def get_actor(actor_id: str, limit: Annotated[int, Query(ge=0, le=500)] = 50):
        """One actor: its official names over time, aliases, coalitions and its events in this store."""
        kb = _actor_kb()
        actor = kb.get(actor_id)
        if actor is None:
            raise HTTPException(404, f"no actor {actor_id!r} in the knowledge base (GET /actors lists them)")
        return {
            "actor_id": actor.id,
            "name": actor.name,
            "inter": actor.inter,
            "country": actor.country,
            "events": _actor_counts(reader.version()).get(actor.id, 0),
            "names": [{"name": n.name, "valid_from": n.valid_from, "valid_to": n.valid_to} for n in kb.names_over_time(actor.id)],
            "aliases": [a.text for a in actor.aliases],
            "coalitions": [cid for cid, _membership in kb.memberships(actor.id)],
            "recent_events": reader.events_of_actor(actor.id, limit),
        }

    @app.get("/places/{place_id}", response_model=m.PlaceDetail, responses=_404, tags=["places"])
    def get_place(place_id: str, limit: Annotated[int, Query(ge=0, le=500)] = 50):
        """One gazetteer place (ids like gn:170063, gov:aleppo) and the stored events located there."""
        from sitrep.resolve.gazetteer import default_gazetteer

        place = default_gazetteer().get(place_id)
        if place is None:
            raise HTTPException(404, f"no place {place_id!r} in the gazetteer")
        total, events = reader.events_at_place(place.place_id, limit)
        return {
            "place_id": place.place_id,
            "name": place.name,
            "admin1": place.admin1,
            "admin2": place.admin2,
            "latitude": place.lat,
            "longitude": place.lon,
            "feature": place.feature,
            "source": place.source,
            "events_total": total,
            "events": events,
        }

    # ------------------------------------------------------------------ stats and control

    @app.get("/stats/timeline", response_model=m.Timeline, responses=_400, tags=["stats"])
    def timeline(f: Filtered, interval: Literal["day", "week"] = "day"):
        """Events and fatalities per day (or week, starting Monday) and event type, for the same filters."""
        rows = reader.timeline(f, interval)
        return {"interval": interval, "buckets": [{"period": p, "event_type": t, "events": n, "fatalities": fat or 0} for p, t, n, fat in rows]}

    @app.get("/control", responses={**_404, 200: {"description": "GeoJSON: one point per place with its holder on the date"}}, tags=["stats"])
    def control(at: date) -> dict[str, Any]:
        """Who held each place on a date, from the store's territory events (when sitrep.control is present)."""
        try:
            module = importlib.import_module("sitrep.control")
        except ImportError:
            module = None
        timelines_of, geojson_of = getattr(module, "control_timelines", None), getattr(module, "control_geojson", None)
        if timelines_of is None or geojson_of is None:
            raise HTTPException(404, "no control data: this sitrep has no sitrep.control module (control_timelines, control_geojson)")
        from sitrep.store import SQLiteStore

        with SQLiteStore(settings.db) as store:
            timelines = timelines_of(store)
        if not timelines:
            raise HTTPException(404, "no control data: the store holds no territory-change events")
        return geojson_of(timelines, at)

    # ------------------------------------------------------------------ page

    @app.get("/config.json", response_model=m.AppConfig, tags=["page"])
    def page_config():
        """Settings the map page needs."""
        return {
            "tile_url": settings.tile_url,
            "tile_attribution": settings.tile_attribution,
            "writes_enabled": settings.token is not None,
            "event_types": [e.value for e in EventType],
            "source_types": [s.value for s in SourceType],
            "modalities": [mo.value for mo in Modality],
        }

    @app.get("/", include_in_schema=False)
    def index():
        if not (VENDOR_DIR / "leaflet" / "leaflet.js").is_file():
            return HTMLResponse(_NOT_BUILT, status_code=503)
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    return app


def _located(f: Filters) -> Filters:
    # The geojson total counts located events only; the filter itself is unchanged.
    return _LocatedFilters(**f.__dict__)


class _LocatedFilters(Filters):
    def where(self) -> tuple[str, list[Any]]:
        where, params = super().where()
        return where + (" AND " if where else " WHERE ") + "latitude IS NOT NULL AND longitude IS NOT NULL", params


def _article_from_body(body: bytes, kind: str, **meta: Any) -> Article:
    from sitrep.errors import InputError
    from sitrep.ingest import article_from_text

    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the body is not UTF-8 text") from None
    if kind == "application/json":
        try:
            data = m.ArticleIn.model_validate_json(text)
        except ValueError as exc:
            raise HTTPException(400, f"the JSON body is not an article: {str(exc).splitlines()[0]} (fields: text, title, url, outlet, published, id)") from None
        raw, meta = data.text, {"title": data.title, "url": data.url, "outlet": data.outlet, "published": data.published, "external_id": data.id}
    elif kind == "text/plain":
        raw = text
    elif kind == "text/html":
        from sitrep.ingest.html import extract_html

        extracted = extract_html(text, url=meta.get("url"))
        if extracted is None:
            raise HTTPException(400, "no article text found in the HTML")
        raw, page = extracted
        meta = {"title": meta["title"] or page.title, "url": meta["url"] or page.url, "outlet": meta["outlet"] or page.outlet,
                "published": meta["published"] or page.published, "external_id": meta["external_id"]}
    else:
        raise HTTPException(415, f"content type {kind or 'missing'!r}: send application/json, text/plain or text/html")
    if not raw.strip():
        raise HTTPException(400, "the article text is empty")
    try:
        return article_from_text(raw, source_path="POST /articles", **meta)
    except InputError as exc:
        raise HTTPException(400, str(exc)) from None


@lru_cache(maxsize=1)
def _pipeline(factory):
    return factory()


def _actor_kb():
    from sitrep.resolve.actors import default_actor_kb

    return default_actor_kb()


_NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sitrep: map not built</title></head>
<body><h1>The map page is not built</h1>
<p>The page's libraries (Leaflet, d3) and the Natural Earth outlines are installed from npm at build time, not
loaded from the internet. Build them once, then reload:</p>
<pre>python tools/vendor_web.py     # runs: npm ci --prefix web --ignore-scripts, then copies the files</pre>
<p>This needs Node.js and npm (Debian: <code>apt-get install npm</code>). The JSON API works without it: see
<a href="/docs">/docs</a>.</p></body></html>"""
