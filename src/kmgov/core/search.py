"""Chinese full-text search: jieba word segmentation over SQLite FTS5 or PostgreSQL full text.

Text is segmented once when indexed (`segmented` holds space-separated words); a query is
segmented the same way. SQLite ranks with FTS5's bm25; PostgreSQL with ts_rank_cd over
a stored `to_tsvector('simple', segmented)` column (the 'simple' configuration keeps the words
as jieba cut them). Candidates whose raw text contains the query as typed get a bonus, so a phrase that
appears in one place only comes first. Both databases answer the same questions.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from . import versions
from .models import SearchEntry

_jieba_lock = threading.Lock()
_jieba = None

# Words of the gazette's domain that jieba's general dictionary would cut apart. Policy
# modules add theirs with `add_words()` when they load.
BASE_WORDS = [
    "碳汇", "碳汇林", "碳汇造林", "碳足迹", "碳补偿", "零申报", "以奖代补", "总部企业", "总部经济",
    "楼宇经济", "商务楼宇", "中低产林", "低产林", "地质灾害", "隐患点", "两卡一书", "四包三落实",
    "群测群防", "滇池流域", "土地流转", "一岗双责", "质检全覆盖", "绿色通道", "人民调解",
    "经开区", "高新区", "度假区", "报账制", "联审会议", "市长热线", "政务服务", "公积金",
]
_extra_words: list[str] = []

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)


def add_words(words) -> None:
    _extra_words.extend(words)
    if _jieba is not None:
        for w in words:
            _jieba.add_word(w, freq=20000)


def _import_jieba():
    """jieba, imported without setuptools' `pkg_resources` when nothing has imported it yet.

    jieba opens its own package files (the dictionary) through `pkg_resources` when it can be
    imported, else by their path; importing `pkg_resources` costs ≈ 0.13 s (it scans every
    installed distribution), an eighth of a `kmgov ask`. The file opened is the same."""
    import sys

    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # `import` raises ImportError
    try:
        import jieba
    finally:
        if sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def _tokenizer():
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import logging

                jieba = _import_jieba()
                jieba.setLogLevel(logging.WARNING)
                jieba.dt.tmp_dir = str(settings.JIEBA_CACHE_DIR)
                for w in BASE_WORDS + _extra_words:
                    jieba.add_word(w, freq=20000)
                jieba.initialize()
                _jieba = jieba
    return _jieba


# --- a dictionary for one short text (the command line) ----------------------------------
#
# Loading jieba's dictionary (≈ 500,000 words) takes ≈ 0.7 s of CPU: a server pays it once,
# `kmgov ask` would pay it for every question. Cutting a text reads the dictionary only for
# the text's own substrings (jieba's DAG, its route and its search-mode 2- and 3-grams all
# look up `FREQ[text[i:j]]` and the total), so a tokenizer holding just those entries, with
# the full total, cuts that text exactly as the full one. The configured dictionary (jieba's
# plus the words added here) is written once to an indexed SQLite file beside jieba's cache;
# a question then reads its few hundred substrings from it in a millisecond or two. The file
# is keyed by the added words and jieba's dictionary file: any change and the full
# dictionary is loaded (and the file rewritten) instead.

LOOKUP_FILE = "jieba-lookup.sqlite3"
#: Set by commands that cut one short text and end (kmgov ask): `tokenizer_for` then reads
#: only the text's entries from the lookup file when the full dictionary is not loaded.
lean = False


def _words_key() -> str:
    import hashlib
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("jieba")
    dic = Path(spec.origin).with_name("dict.txt") if spec and spec.origin else None
    stat = dic.stat() if dic and dic.exists() else None
    h = hashlib.sha256(f"{stat.st_size if stat else 0}:{stat.st_mtime_ns if stat else 0}".encode())
    h.update("\n".join(BASE_WORDS + _extra_words).encode())
    return h.hexdigest()


def _lookup_path():
    from pathlib import Path

    return Path(settings.JIEBA_CACHE_DIR) / LOOKUP_FILE


def lookup_write() -> bool:
    """Write the configured dictionary to the lookup file if it is missing or stale (after
    the full dictionary is loaded: `kmgov serve`'s warm-up, or the first `kmgov ask`)."""
    import os
    import sqlite3

    path = _lookup_path()
    key = _words_key()
    try:
        if path.exists():
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
                if con.execute("SELECT key FROM meta").fetchone()[0] == key:
                    return False
    except sqlite3.Error:
        pass
    tok = _tokenizer().dt
    tmp = path.with_name(f"{LOOKUP_FILE}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(tmp)
        con.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, freq INTEGER) WITHOUT ROWID")
        con.execute("CREATE TABLE meta (key TEXT, total INTEGER, maxlen INTEGER)")
        con.executemany("INSERT INTO freq VALUES (?, ?)", tok.FREQ.items())
        con.execute("INSERT INTO meta VALUES (?, ?, ?)",
                    (key, tok.total, max(map(len, tok.FREQ))))
        con.commit()
        con.close()
        os.replace(tmp, path)
    except (OSError, sqlite3.Error):
        tmp.unlink(missing_ok=True)
        return False
    return True


def _lean_tokenizer(text: str):
    """A jieba tokenizer holding only the entries `text` (and its lower case) can look up,
    or None when the lookup file is missing or stale."""
    import sqlite3

    path = _lookup_path()
    if not path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            key, total, maxlen = con.execute("SELECT key, total, maxlen FROM meta").fetchone()
            if key != _words_key():
                return None
            subs = set()
            for t in {text, text.lower()}:
                for i in range(len(t)):
                    subs.update(t[i:j] for j in range(i + 1, min(len(t), i + maxlen) + 1))
            subs = list(subs)
            freq: dict[str, int] = {}
            for i in range(0, len(subs), 500):
                chunk = subs[i:i + 500]
                freq.update(con.execute(
                    f"SELECT word, freq FROM freq WHERE word IN ({','.join('?' * len(chunk))})",
                    chunk))
    except sqlite3.Error:
        return None
    import logging

    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = freq, total, True
    return tok


def tokenizer_for(text: str):
    """A tokenizer that cuts `text` (and any part of it) as the full one does: the full one
    when it is loaded or `lean` is off, else one read for this text from the lookup file."""
    if _jieba is None and lean:
        tok = _lean_tokenizer(text)
        if tok is not None:
            return tok
    return _tokenizer()


def words(text: str) -> list[str]:
    """The words of a text for the index: jieba's search-mode cut, lower-cased, punctuation dropped."""
    out = []
    for w in _tokenizer().cut_for_search(text):
        w = w.strip().lower()
        if w and not _PUNCT.match(w):
            out.append(w)
    return out


def segment(text: str) -> str:
    return " ".join(words(text))


@dataclass
class Hit:
    entry: SearchEntry
    score: float


# --- index maintenance ------------------------------------------------------------------


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


#: Entries added at once after which PostgreSQL's statistics of the index are refreshed.
ANALYZE_AFTER = 200


def index_entries(entries: list[SearchEntry]) -> None:
    """Add entries (unsaved SearchEntry objects with body set) to the index."""
    versions.bump(versions.SEARCH)
    for e in entries:
        e.segmented = segment(f"{e.title}\n{e.body}")
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    if not _is_sqlite() and len(entries) >= ANALYZE_AFTER:
        # Fresh statistics, or the planner, which estimates a new source's rows from stale
        # ones, filters every row's tsvector instead of using the GIN index (249 ms instead of
        # 10 ms over 100 issues; benchmarks/README.md). Autovacuum comes later, if at all soon.
        with connection.cursor() as cur:
            cur.execute("ANALYZE core_searchentry")
    if _is_sqlite():
        saved = SearchEntry.objects.filter(
            source__in={e.source for e in entries}, ref_id__in=[e.ref_id for e in entries]
        ).values_list("id", "segmented")
        saved = list(saved)
        with connection.cursor() as cur:
            # A row of the full-text table left by an entry deleted without it (a flush of the
            # entries table, which knows nothing of this virtual table, reuses the ids) would
            # make the INSERT fail: the new entry's row replaces it.
            for i in range(0, len(saved), 500):
                chunk = [row[0] for row in saved[i:i + 500]]
                marks = ", ".join(["%s"] * len(chunk))
                cur.execute(f"DELETE FROM core_search_fts WHERE rowid IN ({marks})", chunk)
            cur.executemany(
                "INSERT INTO core_search_fts(rowid, segmented) VALUES (%s, %s)", saved
            )


def remove_group(source: str, group: str) -> None:
    versions.bump(versions.SEARCH)
    qs = SearchEntry.objects.filter(source=source, group=group)
    if _is_sqlite():
        ids = list(qs.values_list("id", flat=True))
        with connection.cursor() as cur:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                cur.execute(
                    f"DELETE FROM core_search_fts WHERE rowid IN ({','.join(['%s'] * len(chunk))})",
                    chunk,
                )
    qs.delete()


def remove_refs(source: str, ref_ids) -> None:
    ref_ids = list(ref_ids)
    versions.bump(versions.SEARCH)
    qs = SearchEntry.objects.filter(source=source, ref_id__in=ref_ids)
    if _is_sqlite():
        ids = list(qs.values_list("id", flat=True))
        with connection.cursor() as cur:
            for i in ids:
                cur.execute("DELETE FROM core_search_fts WHERE rowid = %s", [i])
    qs.delete()


# --- querying ---------------------------------------------------------------------------


def _fts_quote(w: str) -> str:
    return '"' + w.replace('"', '""') + '"'


def _pg_quote(w: str) -> str:
    # A tsquery lexeme in single quotes; backslashes and quotes escaped.
    return "'" + w.replace("\\", "\\\\").replace("'", "''") + "'"


def _candidates(qwords: list[str], sources, op: str, limit: int) -> list[tuple[int, float]]:
    if _is_sqlite():
        match = f" {op} ".join(_fts_quote(w) for w in qwords)
        sql = (
            "SELECT f.rowid, -bm25(core_search_fts) AS score FROM core_search_fts f "
            "JOIN core_searchentry e ON e.id = f.rowid WHERE core_search_fts MATCH %s"
        )
        params: list = [match]
    else:
        tsq = f" {'&' if op == 'AND' else '|'} ".join(_pg_quote(w) for w in qwords)
        # `tsv` is a stored generated column (migration 0004) with a GIN index.
        sql = (
            "SELECT e.id, ts_rank_cd(e.tsv, q) AS score "
            "FROM core_searchentry e, to_tsquery('simple', %s) q WHERE e.tsv @@ q"
        )
        params = [tsq]
    if sources:
        sql += f" AND e.source IN ({','.join(['%s'] * len(sources))})"
        params += list(sources)
    sql += " ORDER BY score DESC LIMIT %s"
    params.append(limit)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [(int(r[0]), float(r[1])) for r in cur.fetchall()]


def search(query: str, *, sources=None, limit: int = 20, pool: int = 200) -> list[Hit]:
    """Ranked hits for a query. All words must match; if nothing does, any word may."""
    query = (query or "").strip()
    qwords = list(dict.fromkeys(words(query)))
    if not qwords:
        return []
    cands = _candidates(qwords, sources, "AND", pool) or _candidates(qwords, sources, "OR", pool)
    if not cands:
        return []
    entries = SearchEntry.objects.in_bulk([i for i, _ in cands])
    phrase = re.sub(r"\s+", "", query).lower()
    top = max(s for _, s in cands) or 1.0
    hits = []
    for i, s in cands:
        e = entries.get(i)
        if e is None:
            continue
        score = s / top
        compact = re.sub(r"\s+", "", f"{e.title}{e.body}").lower()
        if phrase and phrase in compact:
            score += 1.0  # the query as typed occurs whole: rank above scattered-word matches
        hits.append(Hit(e, score * e.weight))
    hits.sort(key=lambda h: (-h.score, h.entry.id))
    return hits[:limit]


# --- a page of results with its true total ----------------------------------------------

#: At most this many matching entries are ranked for a page (the newest, by id: a cheap first
#: match through the index, without reading the rows), so the cost of a page is bounded
#: whatever the number of matches; the total is still counted exactly.
RANK_CAP = 1000
#: Of those, the best-ranked this many are checked for the query as typed (the bonus).
PHRASE_POOL = 200

_BLANKS = " \t\r\n\u3000"


@dataclass
class SearchPage:
    """One page of ranked hits of a query, with the number of all the entries it matches."""

    hits: list[Hit]
    total: int
    offset: int
    limit: int
    words: list[str]          # the words matched (all of them, or any when `any_word`)
    any_word: bool = False    # no entry held all the words: entries holding any are shown
    phrase: str = ""          # the query had no word, only characters: matched where it stands

    @property
    def ranked_all(self) -> bool:
        return self.total <= RANK_CAP


def query_plan(query: str) -> tuple[list[str], list[str], str]:
    """How a query is matched: (words every hit must hold, words of which any may do when
    none holds them all, the phrase a hit must contain as typed or "").

    The rule against nonsense: a single character is not a word. A query jieba cuts into
    words of two or more characters matches on those (all of them; if no entry holds all, any
    of them — never a single character alone). A query that is nothing but single characters
    (gibberish such as "啊哦嗯呃", or a rare name) matches only where those characters stand
    together as typed; one character alone is searched as itself. Words contained in a longer
    word of the query are dropped (the index holds both, so the longer implies them)."""
    ws = list(dict.fromkeys(words(query)))
    if not ws:
        return [], [], ""
    longest = [w for w in ws if not any(w != o and w in o for o in ws)]
    strong = [w for w in longest if len(w) >= 2]
    if strong:
        return longest, strong, ""
    compact = re.sub(r"\s+", "", query).lower()
    if len(compact) <= 1:
        return longest, [], ""
    return longest, [], compact


def _compact_sql(expr: str) -> str:
    if _is_sqlite():
        out = expr
        for ch in _BLANKS:
            out = f"replace({out}, char({ord(ch)}), '')"
        return f"lower({out})"
    return f"lower(translate({expr}, E'{_BLANKS}', ''))"


def _filters_sql(sources, groups, within, phrase) -> tuple[str, list]:
    sql, params = "", []
    if sources:
        sql += f" AND e.source IN ({','.join(['%s'] * len(sources))})"
        params += list(sources)
    if groups:
        sql += f' AND e."group" IN ({",".join(["%s"] * len(groups))})'
        params += [str(g) for g in groups]
    if within is not None:
        sub, sub_params = within.query.sql_with_params()
        sql += f" AND e.ref_id IN ({sub})"
        params += list(sub_params)
    if phrase:
        sql += f" AND instr({_compact_sql('e.title || e.body')}, %s) > 0" if _is_sqlite() else \
            f" AND strpos({_compact_sql('e.title || e.body')}, %s) > 0"
        params.append(phrase)
    return sql, params


def _page_sql(qwords: list[str], op: str, filters: str, fparams: list, phrase: str,
              offset: int, limit: int) -> tuple[int, list[tuple[int, float]]]:
    """(total, [(entry id, score)] of the page) for entries matching the words."""
    # The query as typed, found whole, ranks above scattered words (as in `search`): checked
    # on the PHRASE_POOL best-ranked rows only (reading and compacting each row's text costs
    # more than ranking it); the others follow by rank.
    tail = ("t AS (SELECT id, s, max(s) OVER () AS top, "
            "row_number() OVER (ORDER BY s DESC, id) AS n FROM r) "
            "SELECT {total}, e.id, (COALESCE(t.s / NULLIF(t.top, 0), 0) "
            "+ CASE WHEN t.n <= %s AND {contains} THEN 1 ELSE 0 END) * e.weight AS score "
            "FROM t JOIN core_searchentry e ON e.id = t.id "
            "ORDER BY score DESC, e.id LIMIT %s OFFSET %s")
    if _is_sqlite():
        match = f" {op} ".join(_fts_quote(w) for w in qwords)
        base = ("FROM core_search_fts f JOIN core_searchentry e ON e.id = f.rowid "
                "WHERE core_search_fts MATCH %s" + filters)
        count_sql, count_params = f"SELECT count(*) {base}", [match, *fparams]
        page_sql = (f"WITH r AS (SELECT f.rowid AS id, -bm25(core_search_fts) AS s {base} "
                    "ORDER BY f.rowid DESC LIMIT %s), "
                    + tail.format(total="0", contains=(
                        f"instr({_compact_sql('e.title || e.body')}, %s) > 0")))
        params = [match, *fparams, RANK_CAP, PHRASE_POOL, phrase, limit, offset]
        with connection.cursor() as cur:
            cur.execute(count_sql, count_params)
            total = int(cur.fetchone()[0])
            if not total or offset >= total:
                return total, []
            cur.execute(page_sql, params)
            return total, [(int(i), float(sc)) for _, i, sc in cur.fetchall()]
    # PostgreSQL, one statement: the matching ids once through the GIN index (m: the heap is
    # read once, for the count and for the first match both); the newest RANK_CAP of them
    # (c); ts_rank_cd reads the tsvector of those only (r).
    tsq = f" {'&' if op == 'AND' else '|'} ".join(_pg_quote(w) for w in qwords)
    page_sql = (
        "WITH m AS MATERIALIZED (SELECT e.id FROM core_searchentry e "
        "WHERE e.tsv @@ to_tsquery('simple', %s)" + filters + "), "
        "c AS (SELECT id FROM m ORDER BY id DESC LIMIT %s), "
        "r AS MATERIALIZED (SELECT x.id, ts_rank_cd(x.tsv, to_tsquery('simple', %s)) AS s "
        "FROM core_searchentry x WHERE x.id IN (SELECT id FROM c)), "
        + tail.format(total="(SELECT count(*) FROM m)", contains=(
            f"strpos({_compact_sql('e.title || e.body')}, %s) > 0")))
    params = [tsq, *fparams, RANK_CAP, tsq, PHRASE_POOL, phrase, limit, offset]
    with connection.cursor() as cur:
        cur.execute(page_sql, params)
        rows = cur.fetchall()
        if rows:
            return int(rows[0][0]), [(int(i), float(sc)) for _, i, sc in rows]
        if offset == 0:
            return 0, []
        # past the last page: the total alone
        cur.execute("SELECT count(*) FROM core_searchentry e "
                    "WHERE e.tsv @@ to_tsquery('simple', %s)" + filters, [tsq, *fparams])
        return int(cur.fetchone()[0]), []


def search_page(query: str, *, sources=None, groups=None, within=None, offset: int = 0,
                limit: int = 20) -> SearchPage:
    """A page of hits of `query` with the true number of matching entries (`query_plan` says
    what matches). `groups` restricts to entries of those groups (e.g. issue ids); `within`,
    a queryset of ids, to entries whose `ref_id` it holds (e.g. one document's nodes).
    Ranking: the newest `RANK_CAP` matches ranked (ts_rank_cd / bm25, normalised to the best,
    +1 when the query as typed stands whole in the entry, × the entry's weight)."""
    offset, limit = max(0, int(offset)), max(1, int(limit))
    must, any_of, phrase = query_plan((query or "").strip())
    page = SearchPage(hits=[], total=0, offset=offset, limit=limit, words=must, phrase=phrase)
    if not must:
        return page
    filters, fparams = _filters_sql(sources, groups, within, phrase)
    compact = phrase or re.sub(r"\s+", "", query).lower()
    total, rows = _page_sql(must, "AND", filters, fparams, compact, offset, limit)
    if not total and any_of:
        total, rows = _page_sql(any_of, "OR", filters, fparams, compact, offset, limit)
        page.any_word, page.words = True, any_of
    entries = SearchEntry.objects.in_bulk([i for i, _ in rows])
    page.total = total
    page.hits = [Hit(entries[i], sc) for i, sc in rows if i in entries]
    return page


def count(words_: list[str], *, sources=None, at_most: int | None = None) -> int:
    """How many entries hold all the given words (one index query, nothing ranked); with
    `at_most`, counting stops there (`at_most=1`: whether any does, reading one row)."""
    if not words_:
        return 0
    filters, fparams = _filters_sql(sources, None, None, "")
    if _is_sqlite():
        sql = ("SELECT count(*) FROM core_search_fts f JOIN core_searchentry e ON e.id = f.rowid "
               "WHERE core_search_fts MATCH %s" + filters)
        params = [" AND ".join(_fts_quote(w) for w in words_), *fparams]
    else:
        sql = "SELECT count(*) FROM core_searchentry e WHERE e.tsv @@ to_tsquery('simple', %s)"
        sql += filters
        params = [" & ".join(_pg_quote(w) for w in words_), *fparams]
    if at_most is not None:
        sql = sql.replace("SELECT count(*)", "SELECT count(*) FROM (SELECT 1", 1)
        sql += " LIMIT %s) AS capped"
        params.append(at_most)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return int(cur.fetchone()[0])


def known_words() -> list[str]:
    """The domain words added to the dictionary (the kernel's and the modules'), in order."""
    return list(dict.fromkeys(BASE_WORDS + _extra_words))


def tokenizer():
    """The configured jieba module (domain words added), for modules that cut text themselves."""
    return _tokenizer()


def matching(words_: list[str], *, sources=None, any_word: bool = False,
             limit: int = 200) -> list[tuple[int, float]]:
    """(SearchEntry id, full-text score) of entries holding all (or any) of the given words,
    best first: the raw index query, for modules that rank candidates their own way."""
    return _candidates(words_, sources, "OR" if any_word else "AND", limit)


def rebuild_sqlite_index() -> None:
    """Re-create the FTS5 table from `core_searchentry` (after a restore, say)."""
    if not _is_sqlite():
        return
    with transaction.atomic(), connection.cursor() as cur:
        versions.bump(versions.SEARCH)
        cur.execute("DELETE FROM core_search_fts")
        cur.execute("INSERT INTO core_search_fts(rowid, segmented) SELECT id, segmented FROM core_searchentry")
