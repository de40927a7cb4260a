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
import math
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Q
from django.utils import timezone

from kmgov.core import search
from kmgov.core.models import SearchEntry

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
    tok = search.tokenizer()
    units: dict[str, list[str]] = {}
    for w in tok.cut(clean_text(query)):
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


def _nodes(ref_ids) -> dict:
    """The gazette nodes behind node hits, for their citation ("docno path") and page."""
    if not ref_ids:
        return {}
    from kmgov.gazette.models import Node

    return Node.objects.select_related("document").only(
        "id", "path", "document__docno").in_bulk(ref_ids)


def _topics_named(query: str) -> set[int]:
    """The topics whose keywords the question contains."""
    from .models import Topic

    return {pk for pk, kws in Topic.objects.values_list("pk", "keywords")
            if any(k and str(k) in query for k in kws)}


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


# Callers ask the same few hundred questions all day: a ranking is kept for a short while
# (per process). A kept ranking is never trusted for content: every entry in it is re-read
# and re-checked for its authorisation on each use, so an expired, withdrawn or edited entry
# shows at once; only the order may be up to CACHE_SECONDS old in other processes.
CACHE_SECONDS = int(os.environ.get("KMGOV_HOTLINE_ANSWER_CACHE", "30"))
CACHE_SIZE = 4096
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def cache_clear() -> None:
    with _cache_lock:
        _cache.clear()


def kb_changed() -> None:
    """The served knowledge base changed: an entry was approved, withdrawn or expired (the
    KB services call this on each, inside their transaction). This process's kept rankings
    are dropped; a ranking index kept in memory hooks here to bump its version so that every
    process rebuilds it."""
    cache_clear()


def answers(query: str, *, limit: int = 5, include_nodes: bool = True, on=None,
            org=None) -> list[Answer]:
    """Ranked answers to a question: authorised entries (and, if asked, gazette nodes)."""
    on = on or timezone.localdate()
    if CACHE_SECONDS <= 0:
        return _answers(query, limit=limit, include_nodes=include_nodes, on=on, org=org)
    key = (clean_text(query), limit, include_nodes, on, org.pk if org is not None else None)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] > now:
            _cache.move_to_end(key)
            ranked = hit[1]
        else:
            ranked = None
    if ranked is None:
        ranked = _answers(query, limit=limit, include_nodes=include_nodes, on=on, org=org)
        with _cache_lock:
            _cache[key] = (now + CACHE_SECONDS, ranked)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        return [dataclasses.replace(a) for a in ranked]
    return _recheck(ranked, on)


def _recheck(ranked: list[Answer], on) -> list[Answer]:
    from .models import EntryStatus, KbEntry

    ids = [a.entry_id for a in ranked if a.kind == "entry"]
    fresh = {e.pk: e for e in KbEntry.objects.filter(
        pk__in=ids, status=EntryStatus.ACTIVE, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)).select_related("org")}
    out = []
    for a in ranked:
        if a.kind != "entry":
            out.append(dataclasses.replace(a))
            continue
        e = fresh.get(a.entry_id)
        if e is None:
            continue
        out.append(dataclasses.replace(
            a, title=e.question, text=e.answer, citation=e.citation, url=e.citation_url,
            org=e.org.name, org_code=e.org.code, valid_from=e.valid_from.isoformat(),
            valid_to=e.valid_to.isoformat() if e.valid_to else None,
            authorised_by=e.authorised_by, rule_url=e.rule_url))
    return out


def _answers(query: str, *, limit: int, include_nodes: bool, on, org) -> list[Answer]:
    from .models import EntryStatus, KbEntry

    units = query_units(query)
    if not units:
        return []
    sources = [ENTRY_SOURCE, NODE_SOURCE] if include_nodes else [ENTRY_SOURCE]
    groups = synonym_groups()
    # Every term the question can be matched by: its words, their parts, and their synonyms.
    unit_terms = [(word, [(word, 1.0), *[(p, 0.5) for p in parts]]) for word, parts in units]
    all_terms = {v for _, terms in unit_terms for t, _ in terms for v in _variants(t, groups)}
    entries_by_id = _candidates(sorted(all_terms), sources)
    if not entries_by_id:
        return []
    words_of = {i: set(e.segmented.split()) for i, e in entries_by_id.items()}
    total = max(SearchEntry.objects.filter(source__in=sources).count(), 1)
    scores: dict[int, float] = {}
    matched: dict[int, list[str]] = {}
    for word, terms in unit_terms:
        best: dict[int, float] = {}
        for term, factor in terms:
            variants = _variants(term, groups)
            hits = [i for i, ws in words_of.items() if any(v in ws for v in variants)]
            if not hits:
                continue
            idf = math.log(1 + total / len(hits))
            for i in hits:
                in_title = any(v in entries_by_id[i].title for v in variants)
                sc = idf * factor * (1.6 if in_title else 1.0)
                if sc > best.get(i, 0.0):
                    best[i] = sc
        for i, sc in best.items():
            scores[i] = scores.get(i, 0.0) + sc
            matched.setdefault(i, []).append(word)
    if not scores:
        return []
    # The question typed whole in an entry's text: a strong sign.
    phrase = re.sub(r"\s+", "", clean_text(query))
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])[: max(limit * 8, 40)]
    entry_refs = [entries_by_id[i].ref_id for i, _ in ranked
                  if entries_by_id[i].source == ENTRY_SOURCE]
    qs = KbEntry.objects.filter(pk__in=entry_refs, status=EntryStatus.ACTIVE,
                                valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)).select_related("org")
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    kb = {e.pk: e for e in qs}
    asked_topics = _topics_named(query)
    nodes = _nodes([entries_by_id[i].ref_id for i, _ in ranked
                    if entries_by_id[i].source == NODE_SOURCE]) if include_nodes else {}
    out: list[Answer] = []
    for i, s in ranked:
        se = entries_by_id[i]
        if phrase and len(phrase) >= 4 and phrase in se.body:
            s *= 1.5
        if se.source == ENTRY_SOURCE:
            e = kb.get(se.ref_id)
            if e is None:
                continue  # withdrawn, expired, not yet valid or outside the asked department
            if e.topic_id in asked_topics:
                s *= TOPIC_BOOST  # the question names the entry's subject (停水 → 供水)
            out.append(Answer(
                kind="entry", score=s, title=e.question, text=e.answer, citation=e.citation,
                url=e.citation_url, org=e.org.name, org_code=e.org.code,
                valid_from=e.valid_from.isoformat(),
                valid_to=e.valid_to.isoformat() if e.valid_to else None,
                authorised_by=e.authorised_by, rule_url=e.rule_url, entry_id=e.pk, key=e.key,
                matched=matched[i]))
        elif include_nodes and org is None:
            node = nodes.get(se.ref_id)
            citation, url = se.title, se.url
            if node is not None:
                citation = f"{node.document.docno} {node.path}"
                url = (f"/gazette/doc/{quote(node.document.docno)}/node/"
                       f"?path={quote(node.path)}")
            out.append(Answer(
                kind="node", score=s * NODE_WEIGHT, title=se.title, text=se.body[:400],
                citation=citation, url=url, matched=matched[i]))
    out.sort(key=lambda a: (-a.score, a.kind != "entry", a.entry_id or 0))
    return out[:limit]


def best_answer(query: str, *, on=None):
    """The entry the desk may answer with at once, or None: the top hit must be an authorised
    entry that covers most of the question's meaningful words."""
    qwords = query_words(query)
    if not qwords:
        return None
    hits = answers(query, limit=1, include_nodes=False, on=on)
    if not hits:
        return None
    top = hits[0]
    if len(set(top.matched)) / len(qwords) < 0.6:
        return None
    from .models import KbEntry

    return KbEntry.objects.get(pk=top.entry_id)
