"""Answering in Chinese: the knowledge base and the gazette searched with the kernel's
word-segmented full-text index (`kmgov.core.search`), with citizens' words mapped to the
gazette's (synonyms), and only authorised, unexpired entries given as answers (116号 三(三)).

Ranking: each word of the question (filler words dropped) is looked up in the index with its
synonyms; an entry scores the sum of the words it contains, each weighted by how rare the word
is (inverse document frequency), words in the entry's question counting more. A question's
rare words ("碳汇", "楼宇", "调解") thus decide, its common ones ("补助", "申请") only break ties.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import quote

from django.db import connection
from django.utils import timezone

from kmgov.core import search, versions
from kmgov.core.models import SearchEntry
from kmgov.core.prepared import prepared_cursor

ENTRY_SOURCE = "hotline.entry"
NODE_SOURCE = "gazette.node"

# Words of the hotline's domain that jieba would cut apart (added to the kernel's list).
DOMAIN_WORDS = [
    "96128", "12345", "以奖代补", "零申报", "中低产林", "碳汇林", "租地", "楼宇经济", "总部企业",
    "绿色通道服务卡", "两卡一书", "四包三落实", "群测群防", "一岗双责", "质检全覆盖", "住房公积金",
    "公积金", "交通违章", "路况", "医保", "社保", "供水", "供电", "燃气", "煤气", "公交",
    "劳动力", "技能培训", "贷款贴息", "亿元楼", "职能型总部", "综合型总部", "成长型总部",
    "滑坡", "泥石流", "隐患点", "调解协议", "写字楼", "商务楼宇", "质量监督", "监督站",
    "避险卡", "明白卡", "警示", "告诫", "专报", "提示", "告知", "苗木", "园林园艺",
    "行政审批", "政务服务管理局", "市长热线", "联络员", "抚育", "树种更替", "碳足迹", "碳补偿",
    "碳汇造林", "森林覆盖率", "入驻率", "联审会议", "报账制", "外商投资", "采购中心", "下属企业",
    "汛期", "值班", "应急预案", "演练", "特种作业", "持证上岗", "安全费用", "土地流转",
    "承包经营权", "限额采伐", "胸径", "人民调解", "调解员", "疑难", "纠纷", "滇池流域",
    "食药监局", "食药监", "培训费", "学技术",
]

# Words that carry no meaning in a question ("请问…怎么办呢").
STOP_WORDS = frozenset("""
请问 问 问一下 一下 我 我们 你 你们 他 她 它 的 了 吗 呢 吧 啊 呀 么 嘛 是 在 有 没有 和 与 及 或 或者 还 还是
就 都 也 要 想 想问 想知道 知道 请 帮 帮忙 能 能不能 可以 可不可以 会 怎么 怎么样 怎样 如何 什么 啥 哪 哪里
哪儿 哪个 哪些 谁 多少 几 多 么样 这 那 这个 那个 这些 那些 一个 个 给 被 把 让 对 对于 关于 到 从 向 为 为了
如果 要是 的话 现在 目前 今年 一般 具体 情况 问题 事情 事 一些 有些 有没有 是不是 咨询 了解 打听 告诉 说 讲
以后 之后 以前 找谁 几年 几个 几次 几天 几号 几点 多久 一共 总共
昆明 昆明市 市里 政府 国家 家里 我家 自己 人家 那么 这么 怎么办 办 吗？ 呢？ 得 地 着 过 又 再 才 只 很 太 更
""".split())

TOPIC_BOOST = 1.25  # an entry on the subject the question names outranks a general one
CANDIDATE_POOL = 2000  # the knowledge base and an issue or two of gazette nodes
NODE_WEIGHT = 0.75  # a KB entry written for citizens ranks above a raw gazette paragraph


@dataclass
class Answer:
    kind: str  # "entry" | "node"
    score: float
    title: str
    text: str
    citation: str
    url: str
    org: str = ""
    org_code: str = ""
    valid_from: str | None = None
    valid_to: str | None = None
    authorised_by: str = ""
    rule_url: str = ""
    entry_id: int | None = None
    key: str = ""
    matched: list[str] = field(default_factory=list)
    # the rule run on the question's facts, or what to ask for (kmgov.hotline.compute)
    computed: dict | None = None

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "score": round(self.score, 4), "title": self.title,
            "text": self.text, "citation": self.citation, "url": self.url,
            "org": self.org, "org_code": self.org_code, "valid_from": self.valid_from,
            "valid_to": self.valid_to, "authorised_by": self.authorised_by,
            "rule_url": self.rule_url, "entry_id": self.entry_id, "key": self.key,
            **({"computed": self.computed} if self.computed is not None else {}),
        }


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Control characters dropped (a tab or newline is kept), surrounding space trimmed."""
    return _CONTROL.sub("", text or "").strip()


def synonym_groups() -> list[list[str]]:
    from .models import Synonym

    return [[str(w) for w in g] for g in Synonym.objects.values_list("words", flat=True)]


def _variants(word: str, groups) -> list[str]:
    for g in groups:
        if word in g:
            return list(dict.fromkeys([word, *g]))
    return [word]


def _meaningful(w: str) -> bool:
    w = w.strip().lower()
    if not w or w in STOP_WORDS or re.fullmatch(r"[\W_]+", w):
        return False
    return not (len(w) == 1 and not w.isdigit() and w not in "林税亩树楼表卡证")


def query_units(query: str) -> list[tuple[str, list[str]]]:
    """The question's words (jieba's precise cut, filler dropped), each with the shorter
    words the index also holds for it (碳汇林 → 碳汇): a unit is matched by the word itself
    or, for less, by one of its parts."""
    text = clean_text(query)
    tok = search.tokenizer_for(text)
    units: dict[str, list[str]] = {}
    for w in tok.cut(text):
        w = w.strip().lower()
        if not _meaningful(w) or w in units:
            continue
        parts = [p.strip().lower() for p in tok.cut_for_search(w)]
        units[w] = [p for p in dict.fromkeys(parts) if p != w and _meaningful(p)]
    return list(units.items())


def query_words(query: str) -> list[str]:
    return [w for w, _ in query_units(query)]


# --- the index of entries -----------------------------------------------------------------


def entry_index_text(entry, groups) -> str:
    """The text an entry is found by: its question, answer and keywords, plus every synonym
    of a word it contains, so a caller's word finds the entry written in the gazette's."""
    base = f"{entry.question}\n{entry.answer}\n{entry.keywords}"
    extra = []
    for g in groups:
        if any(w in base for w in g):
            extra.extend(w for w in g if w not in base)
    return base + ("\n" + " ".join(extra) if extra else "")


def entries_reindex(entries) -> None:
    entries = list(entries)
    cache_clear()
    if not entries:
        return
    search.remove_refs(ENTRY_SOURCE, [e.pk for e in entries])
    groups = synonym_groups()
    search.index_entries([
        SearchEntry(source=ENTRY_SOURCE, ref_id=e.pk, title=e.question[:255],
                    url=f"/hotline/entries/{e.pk}/", body=entry_index_text(e, groups),
                    group=e.org.code[:64], weight=1.0)
        for e in entries
    ])


# --- answering ----------------------------------------------------------------------------


def _topics_named(query: str, topics=None) -> set[int]:
    """The topics whose keywords the question contains."""
    if topics is None:
        from .models import Topic

        topics = Topic.objects.values_list("pk", "keywords")
    return {pk for pk, kws in topics if any(k and str(k) in query for k in kws)}


# The ranking: each unit of the question (a word, and its parts at half weight, each with its
# synonyms) scores the texts holding it by its rarity, log(1 + N / texts holding it), × 1.6
# when it is in the text's title; a text sums its units' best scores. Both ways of finding
# the texts — the process's own index and the database's full-text index — feed the same
# `_score`, so they rank alike.


def _unit_best(terms, variants_of, hits_of, title_of, total) -> dict[int, float]:
    """One unit's score of each text holding it: its terms' best."""
    best: dict[int, float] = {}
    for term, factor in terms:
        variants = variants_of(term)
        hits = hits_of(variants)
        if not hits:
            continue
        idf = math.log(1 + total / len(hits))
        for i in hits:
            title = title_of(i)
            in_title = any(v in title for v in variants)
            sc = idf * factor * (1.6 if in_title else 1.0)
            if sc > best.get(i, 0.0):
                best[i] = sc
    return best


def _score(unit_terms, variants_of, hits_of, title_of, total, best_of=None):
    """The texts' scores (each the sum of its units' best), and the units each matched.
    `best_of(word, terms)`, if given, gives a unit's `_unit_best` (kept by the index)."""
    scores: dict[int, float] = {}
    matched: dict[int, list[str]] = {}
    for word, terms in unit_terms:
        best = (best_of(word, terms) if best_of is not None
                else _unit_best(terms, variants_of, hits_of, title_of, total))
        for i, sc in best.items():
            scores[i] = scores.get(i, 0.0) + sc
            matched.setdefault(i, []).append(word)
    return scores, matched


def _unit_terms(units):
    return [(word, [(word, 1.0), *[(p, 0.5) for p in parts]]) for word, parts in units]


@dataclass(frozen=True, slots=True)
class _Text:
    """One indexed text as the ranking reads it (a row of the kernel's SearchEntry)."""

    source: str
    ref_id: int
    title: str
    url: str
    body: str


@dataclass
class _Ranking:
    """What a ranking found: the best texts with their scores, the question's words each
    matched, the topics the question names, and the gazette nodes' (docno, path)."""

    ranked: list[tuple[int, float]]
    texts: dict[int, _Text]
    matched: dict[int, list[str]]
    asked_topics: set[int]
    nodes: dict[int, tuple[str, str]]


def _pool(limit: int) -> int:
    return max(limit * 8, 40)


def _best_first(item):
    """Highest score first; equal scores in the order the texts were indexed (their ids), so
    that the answers do not depend on the order a database returns its rows in."""
    return -item[1], item[0]


# --- the ranking from the database (the source of truth, and the fallback) -----------------


def _candidates(terms: list[str], sources) -> dict[int, SearchEntry]:
    """Every indexed text holding any of the terms: one full-text query in the kernel's index
    (its any-word mode), then the texts themselves, whose segmented words the ranking reads."""
    terms = [t.lower() for t in terms if t.strip()]
    if not terms:
        return {}
    ids = [i for i, _ in search.matching(terms, sources=sources, any_word=True,
                                          limit=CANDIDATE_POOL)]
    return SearchEntry.objects.only("id", "source", "ref_id", "title", "url", "body",
                                    "segmented").in_bulk(ids)


def _nodes(ref_ids) -> dict:
    """The gazette nodes behind node hits, for their citation ("docno path") and page."""
    if not ref_ids:
        return {}
    from kmgov.gazette.models import Node

    return Node.objects.select_related("document").only(
        "id", "path", "document__docno").in_bulk(ref_ids)


def _rank_db(query, units, *, limit, include_nodes) -> _Ranking | None:
    sources = [ENTRY_SOURCE, NODE_SOURCE] if include_nodes else [ENTRY_SOURCE]
    groups = synonym_groups()
    unit_terms = _unit_terms(units)
    all_terms = {v for _, terms in unit_terms for t, _ in terms for v in _variants(t, groups)}
    entries_by_id = _candidates(sorted(all_terms), sources)
    if not entries_by_id:
        return None
    words_of = {i: set(e.segmented.split()) for i, e in entries_by_id.items()}
    total = max(SearchEntry.objects.filter(source__in=sources).count(), 1)
    scores, matched = _score(
        unit_terms, lambda t: _variants(t, groups),
        lambda vs: [i for i, ws in words_of.items() if any(v in ws for v in vs)],
        lambda i: entries_by_id[i].title, total)
    if not scores:
        return None
    ranked = sorted(scores.items(), key=_best_first)[: _pool(limit)]
    texts = {i: _Text(e.source, e.ref_id, e.title, e.url, e.body)
             for i, e in entries_by_id.items()}
    nodes = {}
    if include_nodes:
        nodes = {n.pk: (n.document.docno, n.path) for n in _nodes(
            [texts[i].ref_id for i, _ in ranked if texts[i].source == NODE_SOURCE]).values()}
    return _Ranking(ranked, texts, matched, _topics_named(query), nodes)


# --- the ranking from memory ----------------------------------------------------------------
#
# Each process keeps the texts the desk ranks (knowledge-base entries and gazette nodes, their
# segmented words as an inverted index), the synonyms and the topics' keywords, built at first
# use (or by `kmgov serve`'s warm-up) and labelled with the versions of the content it was read
# from (kmgov.core.versions: "search", bumped by every change of the full-text index, and
# "hotline.kb", bumped by every change of an entry, a synonym group or a topic). Each question
# reads the versions (one primary-key query); an index built from other versions is rebuilt
# before answering, so a change made by any process is seen by every process on its next
# question. The entries themselves (status, validity, text, department) are still read from
# the database for the best hits of each question, so an entry withdrawn or expired is never
# answered, even by an index built before the change.

KB_VERSION = "hotline.kb"
_VERSION_NAMES = (versions.SEARCH, KB_VERSION)
#: `KMGOV_HOTLINE_MEMORY_INDEX=0` ranks every question in the database (the old way).
MEMORY_INDEX = os.environ.get("KMGOV_HOTLINE_MEMORY_INDEX", "1") != "0"


def kb_changed() -> None:
    """Entries, synonym groups or topics changed: call in the transaction that changes them
    (their models' save and delete do it by themselves, see apps.py; the knowledge base's
    services call it on every approve, withdraw and expiry, whose bulk updates send no
    signal); every process rebuilds its index on its next question."""
    versions.bump(KB_VERSION)
    cache_clear()


#: At most this many units' scores kept per index (then forgotten all at once, and kept anew).
UNIT_SCORES_KEPT = 20000


class _Index:
    def __init__(self, stamp: tuple[int, ...]):
        from kmgov.gazette.models import Node

        from .models import Topic

        self.stamp = stamp
        self.texts: dict[int, _Text] = {}
        # source → word → ids of the texts holding it (ascending)
        self.postings: dict[str, dict[str, list[int]]] = {ENTRY_SOURCE: {}, NODE_SOURCE: {}}
        self.count = {ENTRY_SOURCE: 0, NODE_SOURCE: 0}
        rows = (SearchEntry.objects.filter(source__in=(ENTRY_SOURCE, NODE_SOURCE))
                .order_by("id").values_list("id", "source", "ref_id", "title", "url", "body",
                                            "segmented"))
        node_refs = set()
        for i, source, ref_id, title, url, body, segmented in rows.iterator(chunk_size=2000):
            self.texts[i] = _Text(source, ref_id, title, url, body)
            self.count[source] += 1
            post = self.postings[source]
            for w in set(segmented.split()):
                post.setdefault(w, []).append(i)
            if source == NODE_SOURCE:
                node_refs.add(ref_id)
        self.nodes: dict[int, tuple[str, str]] = {}
        if node_refs:
            for pk, path, docno in Node.objects.values_list(
                    "id", "path", "document__docno").iterator(chunk_size=5000):
                if pk in node_refs:
                    self.nodes[pk] = (docno, path)
        self.variants: dict[str, list[str]] = {}
        for g in synonym_groups():  # the first group holding a word gives its variants
            for w in g:
                self.variants.setdefault(w, list(dict.fromkeys([w, *g])))
        self.topics = [(pk, [str(k) for k in kws if k])
                       for pk, kws in Topic.objects.values_list("pk", "keywords")]
        # (sources, a unit's terms) → its score of each text holding it (`rank`'s best_of)
        self.unit_scores: dict[tuple, dict[int, float]] = {}

    def rank(self, query, units, *, limit, include_nodes) -> _Ranking | None:
        sources = (ENTRY_SOURCE, NODE_SOURCE) if include_nodes else (ENTRY_SOURCE,)
        postings = [self.postings[s] for s in sources]
        total = max(sum(self.count[s] for s in sources), 1)

        def hits_of(variants):
            if len(variants) == 1 and len(postings) == 1:
                return postings[0].get(variants[0], ())
            found = set()
            for post in postings:
                for v in variants:
                    found.update(post.get(v, ()))
            return sorted(found)

        texts = self.texts

        def variants_of(t):
            return self.variants.get(t) or [t]

        def best_of(word, terms):
            # A unit's scores depend only on its terms and this index (the rarity of each
            # term, whether a text's title holds it): worked out once per index and kept,
            # as an index keeps a term's weights, whatever question the unit comes from.
            key = (sources, tuple(terms))
            best = self.unit_scores.get(key)
            if best is None:
                best = _unit_best(terms, variants_of, hits_of, lambda i: texts[i].title, total)
                if len(self.unit_scores) >= UNIT_SCORES_KEPT:
                    self.unit_scores.clear()
                self.unit_scores[key] = best
            return best

        scores, matched = _score(_unit_terms(units), variants_of, hits_of,
                                 lambda i: texts[i].title, total, best_of)
        if not scores:
            return None
        ranked = sorted(scores.items(), key=_best_first)[: _pool(limit)]
        return _Ranking(ranked, texts, matched, _topics_named(query, self.topics), self.nodes)


_index: _Index | None = None
_index_lock = threading.Lock()


def index(stamp: tuple[int, ...] | None = None) -> _Index:
    """This process's index, rebuilt first if the content changed since it was built."""
    global _index
    stamp = versions.current(_VERSION_NAMES) if stamp is None else stamp
    idx = _index
    if idx is not None and idx.stamp == stamp:
        return idx
    with _index_lock:  # one thread rebuilds; the others wait for it, then use its index
        idx = _index
        if idx is None or idx.stamp != stamp:
            # `stamp` was read before the content: the index is never older than its label.
            idx = _Index(stamp)
            _index = idx
    return idx


# Callers ask the same few hundred questions all day: a ranking is kept (per process) while
# the content it was made from is unchanged, for at most CACHE_SECONDS. A kept ranking is
# never trusted for the entries' content: every entry in it is re-read and re-checked for its
# authorisation on each use, so an expired, withdrawn or edited entry shows at once.
# `KMGOV_HOTLINE_ANSWER_CACHE=0` switches it off (to measure varied questions).
CACHE_SECONDS = int(os.environ.get("KMGOV_HOTLINE_ANSWER_CACHE", "30"))
CACHE_SIZE = 4096
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def cache_clear() -> None:
    """Forget this process's kept rankings and its index (tests; a change made here)."""
    global _index
    with _cache_lock:
        _cache.clear()
    _index = None


def answers(query: str, *, limit: int = 5, include_nodes: bool = True, on=None,
            org=None, units=None) -> list[Answer]:
    """Ranked answers to a question: authorised entries (and, if asked, gazette nodes).
    `units`: the question's words when the caller has cut it already (query_units).

    One database round trip in the usual case: the question is ranked with the index this
    process holds, and the query that reads the hits' entries (status, validity, text) also
    reads the content versions, in the same snapshot. Only if they differ from the index's
    — someone changed the content — is the index rebuilt and the question answered again.
    """
    on = on or timezone.localdate()
    if MEMORY_INDEX:
        idx = _index
        stamp = idx.stamp if idx is not None else versions.current(_VERSION_NAMES)
    else:
        stamp = None
    key = (clean_text(query), limit, include_nodes, on, org.pk if org is not None else None)
    for _attempt in range(3):
        ranked = None
        if CACHE_SECONDS > 0:
            now = time.monotonic()
            with _cache_lock:
                hit = _cache.get(key)
                if hit is not None and hit[0] > now and hit[1] == stamp:
                    _cache.move_to_end(key)
                    ranked = hit[2]
        if ranked is not None:
            out, seen = _recheck(ranked, on, versions_too=stamp is not None)
        else:
            out, seen = _answers(query, limit=limit, include_nodes=include_nodes, on=on,
                                 org=org, units=units, stamp=stamp)
        if stamp is not None and seen is None:  # no entry among the hits: ask the versions
            seen = versions.current(_VERSION_NAMES)
        if seen == stamp:
            if ranked is None and CACHE_SECONDS > 0:
                with _cache_lock:
                    _cache[key] = (time.monotonic() + CACHE_SECONDS, stamp, out)
                    while len(_cache) > CACHE_SIZE:
                        _cache.popitem(last=False)
                return [dataclasses.replace(a) for a in out]
            return out
        stamp = seen  # the content changed since this process's index was built
    return out


_ENTRY_COLUMNS = ("id", "key", "topic_id", "question", "answer", "docno", "node_path", "rule_id",
                  "valid_from", "valid_to", "authorised_by")


class _Servable(NamedTuple):
    """An entry that may be answered with, as an answer shows it (read for each question)."""

    id: int
    key: str
    topic_id: int | None
    question: str
    answer: str
    citation: str
    url: str
    rule_url: str
    valid_from: str
    valid_to: str | None
    authorised_by: str
    org: str
    org_code: str


def _iso(day) -> str | None:
    """A date column as ISO text: PostgreSQL gives a date, SQLite the text itself."""
    return day if day is None or isinstance(day, str) else day.isoformat()


def _servable(ids, on, org=None, *, versions_too: bool):
    """The entries among `ids` that may be answered with on `on` (active, inside their
    validity, within `org` if given), read now; and the content versions read with them, in
    the same statement (None if not asked or no entry came back).

    One hand-written statement: the ORM's building of this query cost more than the rest of
    the ranking (≈ 60 % of an answer's Python time). Its rows become light tuples, not model
    instances (building a `KbEntry` and an `OrgUnit` for each hit was ≈ 20 % of an answer);
    the citation and its link are `KbEntry.citation` and `.citation_url`, worked the same way."""
    from kmgov.core.models import ContentVersion, OrgUnit

    from .models import EntryStatus, KbEntry, citation_url

    if not ids:
        return {}, None
    ids = list(dict.fromkeys(ids))
    cv = ContentVersion._meta.db_table
    cols = ", ".join(f"e.{c}" for c in _ENTRY_COLUMNS)
    sql = [f"SELECT {cols}, o.name, o.code"]
    params: list = []
    if versions_too:
        for n in _VERSION_NAMES:
            sql.append(f", (SELECT version FROM {cv} WHERE name = %s)")
            params.append(n)
    day = connection.ops.adapt_datefield_value(on)
    postgres = connection.vendor == "postgresql"
    # On PostgreSQL one statement text whatever the number of hits (an array), prepared
    # once per connection: planning it cost the server twice what running it does.
    sql.append(f" FROM {KbEntry._meta.db_table} e JOIN {OrgUnit._meta.db_table} o "
               "ON o.id = e.org_id WHERE "
               + ("e.id = ANY(%s) " if postgres else f"e.id IN ({', '.join(['%s'] * len(ids))}) ")
               + "AND e.status = %s AND e.valid_from <= %s "
               "AND (e.valid_to IS NULL OR e.valid_to >= %s)")
    params += [ids] if postgres else ids
    params += [EntryStatus.ACTIVE.value, day, day]
    if org is not None:
        sql.append(" AND substr(o.path, 1, %s) = %s")
        params += [len(org.path), org.path]
    with (prepared_cursor() if postgres else connection.cursor()) as cur:
        cur.execute("".join(sql), params)
        rows = cur.fetchall()
    found = {}
    for (pk, key, topic_id, question, answer, docno, node_path, rule_id, valid_from, valid_to,
         authorised_by, org_name, org_code, *_) in rows:
        found[pk] = _Servable(
            pk, key, topic_id, question, answer, f"{docno} {node_path}".strip(),
            citation_url(docno, node_path), f"/rules/{rule_id}/" if rule_id else "",
            _iso(valid_from), _iso(valid_to), authorised_by, org_name, org_code)
    seen = None
    if versions_too and rows:
        seen = tuple(int(v or 0) for v in rows[0][len(_ENTRY_COLUMNS) + 2:])
    return found, seen


def _entry_answer(e: _Servable, a: Answer, **kw) -> Answer:
    """`a` (a kept answer) with what entry `e` says now."""
    return dataclasses.replace(
        a, title=e.question, text=e.answer, citation=e.citation, url=e.url, org=e.org,
        org_code=e.org_code, valid_from=e.valid_from, valid_to=e.valid_to,
        authorised_by=e.authorised_by, rule_url=e.rule_url, **kw)


def _recheck(ranked: list[Answer], on, *, versions_too: bool):
    fresh, seen = _servable([a.entry_id for a in ranked if a.kind == "entry"], on,
                            versions_too=versions_too)
    out = []
    for a in ranked:
        if a.kind != "entry":
            out.append(dataclasses.replace(a))
            continue
        e = fresh.get(a.entry_id)
        if e is not None:
            out.append(_entry_answer(e, a))
    return out, seen


@functools.lru_cache(maxsize=8192)
def _node_link(docno: str, path: str) -> tuple[str, str]:
    """A gazette node's citation and its page (kept per process, like `citation_url`)."""
    return f"{docno} {path}", f"/gazette/doc/{quote(docno)}/node/?path={quote(path)}"


def _rank(query, units, *, limit, include_nodes, stamp) -> _Ranking | None:
    if stamp is not None:
        try:
            idx = index(stamp)
        except Exception:  # never worse than before: the database ranks
            import logging

            logging.getLogger(__name__).exception("answer index: build failed")
        else:
            return idx.rank(query, units, limit=limit, include_nodes=include_nodes)
    return _rank_db(query, units, limit=limit, include_nodes=include_nodes)


def _answers(query: str, *, limit: int, include_nodes: bool, on, org, units=None,
             stamp=None) -> tuple[list[Answer], tuple | None]:
    """The answers, and the content versions read with the hits' entries (or None)."""
    units = query_units(query) if units is None else units
    if not units:
        return [], None
    found = _rank(query, units, limit=limit, include_nodes=include_nodes, stamp=stamp)
    if found is None:
        return [], None
    ranked, texts, matched = found.ranked, found.texts, found.matched
    # The question typed whole in an entry's text: a strong sign.
    phrase = re.sub(r"\s+", "", clean_text(query))
    # authorisation and validity, read now, for the hits only (with the versions)
    kb, seen = _servable([texts[i].ref_id for i, _ in ranked if texts[i].source == ENTRY_SOURCE],
                         on, org, versions_too=stamp is not None)
    # Scored first, as light tuples (score, node?, entry id, text id, entry); the answers
    # themselves (and their links) are made for the `limit` best only, not for the whole pool.
    scored = []
    for i, s in ranked:
        se = texts[i]
        if phrase and len(phrase) >= 4 and phrase in se.body:
            s *= 1.5
        if se.source == ENTRY_SOURCE:
            e = kb.get(se.ref_id)
            if e is None:
                continue  # withdrawn, expired, not yet valid or outside the asked department
            if e.topic_id in found.asked_topics:
                s *= TOPIC_BOOST  # the question names the entry's subject (停水 → 供水)
            scored.append((-s, False, e.id, i, e))
        elif include_nodes and org is None:
            scored.append((-s * NODE_WEIGHT, True, 0, i, None))
    scored.sort(key=lambda t: t[:3])
    out: list[Answer] = []
    for neg, _, _, i, e in scored[:limit]:
        se = texts[i]
        if e is not None:
            out.append(Answer(
                kind="entry", score=-neg, title=e.question, text=e.answer, citation=e.citation,
                url=e.url, org=e.org, org_code=e.org_code, valid_from=e.valid_from,
                valid_to=e.valid_to, authorised_by=e.authorised_by, rule_url=e.rule_url,
                entry_id=e.id, key=e.key, matched=matched[i]))
            continue
        node = found.nodes.get(se.ref_id)
        citation, url = _node_link(*node) if node is not None else (se.title, se.url)
        out.append(Answer(kind="node", score=-neg, title=se.title, text=se.body[:400],
                          citation=citation, url=url, matched=matched[i]))
    return out, seen


def best_answer(query: str, *, on=None):
    """The entry the desk may answer with at once, or None: the top hit must be an authorised
    entry that covers most of the question's meaningful words."""
    units = query_units(query)  # the question cut once, for the share below and the ranking
    qwords = [w for w, _ in units]
    if not qwords:
        return None
    hits = answers(query, limit=1, include_nodes=False, on=on, units=units)
    if not hits:
        return None
    top = hits[0]
    if len(set(top.matched)) / len(qwords) < 0.6:
        return None
    from .models import KbEntry

    return KbEntry.objects.get(pk=top.entry_id)


def warm_up() -> None:
    """Before a server accepts callers (`kmgov serve`): jieba's dictionary loaded and the
    answer index built, so that the first question costs what every other one does."""
    search.tokenizer()
    search.lookup_write()  # the dictionary file `kmgov ask` reads (once per word list)
    answers("补助", limit=1)
