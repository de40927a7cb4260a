"""昆政发〔2010〕63号 附件《昆明市总部企业认定管理办法》 — certification of headquarters.

第五条 basic conditions; 第六条 comprehensive; 第七条 functional (four kinds); 第八条 growth (five
kinds); 第九条 a clean record in the year. Thresholds are parameters with their comparison word
(以上 / 不低于 / 不少于 include the number, 超过 excludes it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils.translation import gettext_noop
from django.utils.translation import gettext_noop as N_
from pydantic import Field, NonNegativeFloat

from kmgov.rules import Ctx, RuleInput, rule, today, value_labels
from kmgov.rules.lazy import np
from kmgov.rules.plain import fmt_money, money_units, sep

DOC = "昆政发〔2010〕63号"
A = "附件 "  # the annex: citations below write "附件 第…条" in full (constants, hashed once)

CATEGORIES = (
    "comprehensive",
    "functional.general",
    "functional.modern_services",
    "functional.trade_circulation",
    "functional.foreign_investment",
    "growth.finance",
    "growth.high_tech",
    "growth.logistics",
    "growth.culture",
    "growth.traditional",
)

#: The types in words (第六条至第八条), the one catalogue the pages and the plain outcome use.
TYPE_LABELS = {
    "comprehensive": gettext_noop("综合型总部"),
    "functional.general": gettext_noop("一般职能型总部"),
    "functional.modern_services": gettext_noop("现代服务业职能型总部"),
    "functional.trade_circulation": gettext_noop("商贸流通业职能型总部"),
    "functional.foreign_investment": gettext_noop("外商投资公司职能型总部"),
    "growth.finance": gettext_noop("现代金融业成长型总部"),
    "growth.high_tech": gettext_noop("高新技术产业成长型总部"),
    "growth.logistics": gettext_noop("现代物流业成长型总部"),
    "growth.culture": gettext_noop("现代文化产业成长型总部"),
    "growth.traditional": gettext_noop("传统优势产业成长型总部"),
}

value_labels(TYPE_LABELS)


def _plain(decision, result, focus) -> None:
    """The outcome in words: for the type applied for (`focus`), whether it qualifies, each
    unmet condition of the basic conditions and of that type, and the types the enterprise
    could apply for instead (第十二条(一): one type per application)."""
    from django.utils.translation import gettext as _

    from kmgov.rules.plain import finding

    qualifies = [t for t in CATEGORIES if t in (decision.get("qualifies_for") or [])]
    labels = sep("、").join(_(TYPE_LABELS[t]) for t in qualifies)
    unmet = (decision.get("unmet") or []) + (decision.get("unmet_alternatives") or [])

    def findings(groups) -> list[dict]:
        return [finding("headquarters.certification", u) for u in unmet if u.get("group") in groups]

    if focus in TYPE_LABELS:
        name = _(TYPE_LABELS[focus])
        if focus in qualifies:
            result["sentence"] = _("申报的%(t)s：符合认定条件。") % {"t": name}
            result["findings"] = []
            return
        groups = {"basic", focus} | ({"growth"} if focus.startswith("growth.") else set())
        fs = findings(groups)
        instead = (_("可改报%(l)s") % {"l": labels}) if labels else _("目前不符合任何类型的认定条件")
        for f in fs:
            if f["group"] != "basic":
                f["todo"] = instead
        result["findings"] = fs
        result["refused"] = True
        result["sentence"] = (_("申报的%(t)s：不符合认定条件，%(n)d项条件未满足；%(i)s。") % {
            "t": name, "n": len(fs), "i": instead}) if fs else (
            _("申报的%(t)s：不符合认定条件；%(i)s。") % {"t": name, "i": instead})
        return
    if qualifies:
        result["sentence"] = _("符合总部企业认定条件，可申请认定的类型：%(l)s（每次只能申报其中之一）。") % {
            "l": labels}
        result["findings"] = []
        return
    basic = findings({"basic"})
    if basic:
        result["findings"] = basic
        result["sentence"] = _("不符合总部企业认定的基本条件：%(n)d项条件未满足。") % {"n": len(basic)}
    else:
        result["findings"] = [f for f in findings({u.get("group") for u in unmet})]
        result["sentence"] = _("基本条件已满足，但未达到任何一种总部类型的标准（第六条至第八条）。")


class CertificationInput(RuleInput):
    registered_in_kunming: bool = Field(description=N_("注册地在昆明市的企业法人（第五条(一)）"))
    pays_tax_in_kunming: bool = Field(description=N_("在昆明属地纳税（第五条(一)）"))
    fits_industrial_policy: bool = Field(description=N_("符合国家、省、市产业发展政策（第五条(二)）"))
    clean_record: bool = Field(description=N_("当年内无重大安全生产事故、质量、环保、假冒伪劣、欺诈等违法行为（第九条）"))
    revenue_share_from_subsidiaries: float = Field(ge=0, le=1, description=N_("营业收入中来自下属企业的比例（0—1）"))
    subsidiaries: int = Field(ge=0, description=N_("下属分支企业数"))
    capital_or_net_assets_yuan: float = Field(ge=0, description=N_("注册资本或净资产（元）"))
    revenue_last_year_yuan: float = Field(ge=0, description=N_("上一年度营业收入（元）"))
    local_tax_share_by_year_yuan: dict[int, NonNegativeFloat] = Field(
        description=N_("各年在本市纳税（企业所得税、增值税、营业税）的地方分成部分（元），{年份: 金额}")
    )
    years_operating_in_kunming: float = Field(ge=0, description=N_("在昆明市生产经营和服务的年数"))
    modern_services_field: bool = Field(default=False, description=N_("主营创新金融、专门专业、网络信息、服务外包、创意设计、品牌会展、高端旅游等领域"))
    main_business_trade_circulation: bool = Field(default=False, description=N_("主营商贸流通（对昆明经济社会发展做出重要贡献）"))
    mofcom_recognised_investment_company: bool = Field(default=False, description=N_("经国家商务部认定的外商投资性公司或采购中心"))
    financial_institution: bool = Field(default=False, description=N_("金融机构"))
    high_tech_certified: bool = Field(default=False, description=N_("经认定的高新技术企业"))
    high_tech_output_yuan: float = Field(default=0, ge=0, description=N_("上一年度高新技术产品产值（元）"))
    key_logistics_enterprise: bool = Field(default=False, description=N_("经认定的主营物流的重点企业"))
    qualified_cultural_enterprise: bool = Field(default=False, description=N_("符合财税〔2005〕2号附件规定的文化企业"))
    traditional_advantage_industry: bool = Field(default=False, description=N_("经认定属于传统优势产业的工业企业"))


def _as_year(a) -> np.ndarray:
    return a.astype("datetime64[Y]").astype(int) + 1970


def _prepare(cols: dict) -> dict:
    """Batch form: the yearly local tax shares as columns relative to each row's as_of year
    (tax_1 = last year, tax_2 = the year before …), with a has_k mask for missing years."""
    cols = dict(cols)
    n = len(cols["as_of"])
    as_of = cols["as_of"]
    same_year = n > 0 and as_of.min().astype("datetime64[Y]") == as_of.max().astype("datetime64[Y]")
    year = _as_year(as_of[:1]) if same_year else _as_year(as_of)
    raw = cols.pop("local_tax_share_by_year_yuan")
    if isinstance(raw, Mapping):  # wide form {year: column}
        wide = {int(y): np.asarray(v, dtype=float) for y, v in raw.items()}
    else:  # a column of {year: amount} objects
        years = sorted({int(y) for d in raw for y in (d or {})})
        wide = {y: np.full(n, np.nan) for y in years}
        for i, d in enumerate(raw):
            for y, v in (d or {}).items():
                wide[int(y)][i] = float(v)
    if same_year:  # the usual table: every row applies in the same year
        y0 = int(year[0])
        for k in range(1, 5):
            col = wide.get(y0 - k)
            if col is None:
                cols[f"tax_{k}"], cols[f"has_{k}"] = np.zeros(n), np.zeros(n, dtype=bool)
            elif n and not np.isnan(col.min()):  # every row gives the year (one pass, no temporary)
                cols[f"tax_{k}"], cols[f"has_{k}"] = col, True  # a condition met by every row
            else:
                has = ~np.isnan(col)
                cols[f"tax_{k}"] = np.where(has, col, 0.0) if not has.all() else col
                cols[f"has_{k}"] = has
        return cols
    for k in range(1, 5):
        target = year - k
        val = np.zeros(n)
        has = np.zeros(n, dtype=bool)
        for y, col in wide.items():
            m = (target == y) & ~np.isnan(col)
            val = np.where(m, col, val)
            has |= m
        cols[f"tax_{k}"] = val
        cols[f"has_{k}"] = has
    return cols


def _taxes(c: Ctx):
    x = c.x
    if c.vector:
        return [x[f"tax_{k}"] for k in range(1, 5)], [x[f"has_{k}"] for k in range(1, 5)]
    year = x.as_of.year
    d = {int(k): v for k, v in x.local_tax_share_by_year_yuan.items()}
    vals = [float(d.get(year - k, 0.0)) for k in range(1, 5)]
    has = [(year - k) in d for k in range(1, 5)]
    return vals, has


def _default_as_of(inputs):
    """No `as_of`: the application is taken as made on 1 March (第十一条, the filing window
    opens) of the year after the latest year of local tax given (interpretation)."""
    raw = inputs.get("local_tax_share_by_year_yuan")
    if isinstance(raw, Mapping) and raw and not isinstance(next(iter(raw.values())), (list, np.ndarray)):
        years = [int(y) for y in raw]
        return dt.date(max(years) + 1, 3, 1) if max(years) < 9999 else None
    if isinstance(raw, Mapping) and raw:  # a table in the wide form
        years = [int(y) for y in raw]
        n = len(np.asarray(next(iter(raw.values()))))
        return np.full(n, np.datetime64(dt.date(max(years) + 1, 3, 1), "D"))
    if raw is not None and not isinstance(raw, Mapping):  # a column of dicts
        out = []
        for d in raw:
            ys = [int(y) for y in (d or {})]
            out.append(np.datetime64(dt.date(max(ys) + 1, 3, 1) if ys else today(), "D"))
        return np.array(out, dtype="datetime64[D]")
    return None


@rule(
    "headquarters.certification",
    title="总部企业认定",
    inputs=CertificationInput,
    outputs=("qualifies_for",),
    outcomes=("eligible", "ineligible"),
    cite=[
        (DOC, "附件 第五条", "申请总部企业的基本条件"),
        (DOC, "附件 第六条", "综合型总部"),
        (DOC, "附件 第七条", "职能型总部"),
        (DOC, "附件 第八条", "成长型总部"),
        (DOC, "附件 第九条", "当年内无重大安全生产事故……及其他违法行为"),
    ],
    prepare_vector=_prepare,
    list_outputs={"qualifies_for": CATEGORIES},
    default_as_of=_default_as_of,
    plain=_plain,
)
def certification(c: Ctx):
    """第五条至第九条：基本条件（昆明注册并属地纳税、符合产业政策、来自下属企业收入≥30%、
    下属企业≥3个）加各类型的资本、营业收入、地方分成门槛；成长型看前3年每年地方分成≥150万元
    且增长率超过20%。输出可申请认定的全部类型（每次申报只能选其一，第十二条）。"""
    x = c.x
    taxes, has = _taxes(c)
    last_tax = taxes[0]
    if not c.vector:
        y = x.as_of.year
        c.details["local_tax_share_by_relative_year"] = {
            str(y - k): (taxes[k - 1] if has[k - 1] else None) for k in range(1, 5)
        }
        note = x.get("_as_of_note")
        c.step("上一年度", y - 1, values={"as_of": x.as_of.isoformat(), "last_year": y - 1,
                                           "local_tax_share_last_year_yuan": last_tax if has[0] else None},
               cite=(DOC, "附件 第六条(三)", "上一年度在本市纳税……的地方分成部分"),
               note="; ".join(filter(None, [
                   ("未给出适用日期：按所给地方分成最后一年的次年3月1日（申报期首日）计" if note else None),
                   (None if has[0] else f"未提供{y - 1}年的地方分成数据，按0计")])) or None)

    # 第五条 基本条件（第九条 当年无违法记录 适用于所有类型）
    c.section("basic")
    reg = c.condition(gettext_noop("注册地在昆明市的企业法人"), x.registered_in_kunming, field="registered_in_kunming",
                      values={"registered_in_kunming": x.registered_in_kunming},
                      cite=(DOC, "附件 第五条(一)", "注册地在昆明市的企业法人，并在昆明属地纳税"))
    paytax = c.condition(gettext_noop("在昆明属地纳税"), x.pays_tax_in_kunming, field="pays_tax_in_kunming",
                         values={"pays_tax_in_kunming": x.pays_tax_in_kunming},
                         cite=(DOC, "附件 第五条(一)", "并在昆明属地纳税"))
    policy = c.condition(gettext_noop("符合国家、省、市产业发展政策"), x.fits_industrial_policy, field="fits_industrial_policy",
                         values={"fits_industrial_policy": x.fits_industrial_policy},
                         cite=(DOC, "附件 第五条(二)", "符合国家、省、市产业发展政策"))
    share = c.threshold(gettext_noop("营业收入中来自下属企业的比例不低于30%"), x.revenue_share_from_subsidiaries,
                        "basic_min_revenue_share_from_subsidiaries", field="revenue_share_from_subsidiaries")
    subs = c.threshold(gettext_noop("下属分支企业不少于3个"), x.subsidiaries, "basic_min_subsidiaries", field="subsidiaries")
    clean = c.condition(gettext_noop("当年内无重大安全生产事故、质量、环保、假冒伪劣、欺诈等违法行为"), x.clean_record,
                        field="clean_record", values={"clean_record": x.clean_record},
                        cite=(DOC, "附件 第九条", "并在当年内无重大安全生产事故……无欺诈损害消费者及其他违法行为的"))
    first_three = c.all(reg, paytax, policy, share, clean)
    basic = c.all(first_three, subs)

    cap = x.capital_or_net_assets_yuan
    rev = x.revenue_last_year_yuan

    # 第六条 综合型
    c.section("comprehensive")
    comp = c.all(
        basic,
        c.threshold(gettext_noop("综合型：注册资本或净资产1亿元以上"), cap, "comprehensive_min_capital", field="capital_or_net_assets_yuan"),
        c.threshold(gettext_noop("综合型：上一年度营业收入5亿元以上"), rev, "comprehensive_min_revenue", field="revenue_last_year_yuan"),
        c.threshold(gettext_noop("综合型：上一年度地方分成部分2500万元以上"), last_tax, "comprehensive_min_local_tax",
                    field="local_tax_share_by_year_yuan"),
    )

    # 第七条 职能型
    c.section("functional.general")
    f_general = c.all(
        basic,
        c.threshold(gettext_noop("一般职能型：注册资本或净资产4000万元以上"), cap, "functional_general_min_capital", field="capital_or_net_assets_yuan"),
        c.threshold(gettext_noop("一般职能型：上一年度营业收入2亿元以上"), rev, "functional_general_min_revenue", field="revenue_last_year_yuan"),
        c.threshold(gettext_noop("一般职能型：上一年度地方分成部分1000万元以上"), last_tax, "functional_general_min_local_tax",
                    field="local_tax_share_by_year_yuan"),
    )
    c.section("functional.modern_services")
    f_modern = c.all(
        basic,
        c.condition(gettext_noop("主营创新金融、专门专业、网络信息、服务外包、创意设计、品牌会展、高端旅游等领域"), x.modern_services_field,
                    field="modern_services_field", values={"modern_services_field": x.modern_services_field},
                    cite=(DOC, "附件 第七条(二)", "主营创新金融、专门专业、网络信息、服务外包、创意设计、品牌会展、高端旅游等领域的企业")),
        c.threshold(gettext_noop("现代服务业职能型：注册资本或净资产1000万元以上"), cap, "functional_modern_services_min_capital", field="capital_or_net_assets_yuan"),
        c.threshold(gettext_noop("现代服务业职能型：上一年度营业收入5000万元以上"), rev, "functional_modern_services_min_revenue", field="revenue_last_year_yuan"),
        c.threshold(gettext_noop("现代服务业职能型：上一年度地方分成部分250万元以上"), last_tax, "functional_modern_services_min_local_tax",
                    field="local_tax_share_by_year_yuan"),
    )
    c.section("functional.trade_circulation")
    f_trade = c.all(
        basic,
        c.condition(gettext_noop("主营商贸流通"), x.main_business_trade_circulation, field="main_business_trade_circulation",
                    values={"main_business_trade_circulation": x.main_business_trade_circulation},
                    cite=(DOC, "附件 第七条(三)", "对昆明市经济社会发展做出重要贡献的主营商贸流通的企业"),
                    note="“做出重要贡献”由联审会议认定，此处以申报的主营业务为准"),
        c.threshold(gettext_noop("商贸流通业职能型：注册资本或净资产2000万元以上"), cap, "functional_trade_circulation_min_capital", field="capital_or_net_assets_yuan"),
        c.threshold(gettext_noop("商贸流通业职能型：上一年度营业收入10亿元以上"), rev, "functional_trade_circulation_min_revenue", field="revenue_last_year_yuan"),
        c.threshold(gettext_noop("商贸流通业职能型：上一年度地方分成部分300万元以上"), last_tax, "functional_trade_circulation_min_local_tax",
                    field="local_tax_share_by_year_yuan"),
    )
    c.section("functional.foreign_investment")
    f_foreign = c.all(
        basic,
        c.condition(gettext_noop("经国家商务部认定的外商投资性公司及采购中心"), x.mofcom_recognised_investment_company,
                    field="mofcom_recognised_investment_company",
                    values={"mofcom_recognised_investment_company": x.mofcom_recognised_investment_company},
                    cite=(DOC, "附件 第七条(四)", "注册地在昆明市并经国家商务部认定的外商投资性公司及采购中心")),
        c.threshold(gettext_noop("外商投资公司职能型：注册资本或净资产2000万元以上"), cap, "functional_foreign_investment_min_capital", field="capital_or_net_assets_yuan"),
        c.threshold(gettext_noop("外商投资公司职能型：上一年度地方分成部分在400万元以上"), last_tax, "functional_foreign_investment_min_local_tax",
                    field="local_tax_share_by_year_yuan"),
    )

    # 第八条 成长型
    c.section("growth")
    other = c.any(comp, f_general, f_modern, f_trade, f_foreign)
    only_if_not_other = c.p("growth_only_if_not_other_types")
    c.step("解释：成长型只适用于尚未达到综合型、职能型标准者", only_if_not_other,
           values={"meets_comprehensive_or_functional": other, "applies": only_if_not_other},
           cite=(DOC, "附件 第八条", "成长型总部是指尚未达到综合型和职能型总部认定标准"))
    not_other = c.not_(other) if only_if_not_other else c.full(True)
    years_ok = c.threshold(gettext_noop("在昆明市生产经营和服务3年以上"), x.years_operating_in_kunming, "growth_min_years_operating",
                           field="years_operating_in_kunming")
    window = int(c.p("growth_window_years"))
    needs_before = c.p("growth_needs_year_before")
    c.step("解释：前3年每年的增长率均与其上一年比较", needs_before,
           values={"growth_needs_year_before": needs_before, "window_years": window},
           cite=(DOC, "附件 第八条", "连续前3年每年……增长率超过20%"))
    conds = [first_three, years_ok, not_other]
    units = None if c.vector else money_units()  # the notes' amounts, in the active language
    for k in range(1, window + 1):
        label_year = (x.as_of.year - k) if not c.vector else None
        conds.append(c.condition(f"有{label_year}年的地方分成数据" if label_year else "有数据", has[k - 1],
                                 field="local_tax_share_by_year_yuan", values={"year": label_year},
                                 cite=(DOC, "附件 第八条", "连续前3年每年在本市纳税的地方分成部分")))
        conds.append(c.threshold(f"{label_year}年地方分成部分150万元以上", taxes[k - 1], "growth_min_local_tax_each_year",
                                 field="local_tax_share_by_year_yuan"))
        if k < window or needs_before:
            prev, cur = taxes[k], taxes[k - 1]
            if c.vector:
                # (cur − prev) / prev; where prev is 0 the division gives +inf for cur > 0 (as
                # one case does) and NaN for 0/0, which one case takes as a rate of 0 (the amounts
                # are checked non-negative and finite, so NaN arises only there)
                with np.errstate(divide="ignore", invalid="ignore"):
                    rate = np.subtract(cur, prev)
                    np.divide(rate, prev, out=rate)
                if c.p("growth_min_rate") < 0:  # 0 would pass a negative minimum: put it back
                    rate[np.isnan(rate)] = 0.0
            else:
                rate = (cur - prev) / prev if prev > 0 else (float("inf") if cur > 0 else 0.0)
                conds.append(c.condition(f"有{label_year - 1}年的地方分成数据（计算{label_year}年增长率）", has[k],
                                         field="local_tax_share_by_year_yuan", values={"year": label_year - 1},
                                         cite=(DOC, "附件 第八条", "增长率超过20%")))
            if c.vector:
                conds.append(has[k])
            conds.append(c.threshold(f"{label_year}年地方分成部分增长率超过20%", rate, "growth_min_rate",
                                     field="local_tax_share_by_year_yuan",
                                     note=None if c.vector else f"{label_year}年{fmt_money(cur, units)}，{label_year - 1}年{fmt_money(prev, units)}"))
    growth = c.all(*conds)
    out = {}
    for key, flag, ok_name, measure, measure_field, label, kind in [
        ("finance", x.financial_institution, "financial_institution", rev, "revenue_last_year_yuan", gettext_noop("金融机构，上一年度营业收入5000万元以上"),
         gettext_noop("金融机构")),
        ("high_tech", x.high_tech_certified, "high_tech_certified", x.high_tech_output_yuan, "high_tech_output_yuan", gettext_noop("经认定的高新技术企业，上一年度高新技术产品产值5000万元以上"),
         gettext_noop("经认定的高新技术企业")),
        ("logistics", x.key_logistics_enterprise, "key_logistics_enterprise", rev, "revenue_last_year_yuan", gettext_noop("经认定的主营物流的重点企业，上一年度营业收入5000万元以上"),
         gettext_noop("经认定的主营物流的重点企业")),
        ("culture", x.qualified_cultural_enterprise, "qualified_cultural_enterprise", rev, "revenue_last_year_yuan", gettext_noop("财税〔2005〕2号所列文化企业，上一年度营业收入5000万元以上"),
         gettext_noop("财税〔2005〕2号所列文化企业")),
        ("traditional", x.traditional_advantage_industry, "traditional_advantage_industry", rev, "revenue_last_year_yuan", gettext_noop("传统优势产业的工业企业，上一年度营业收入5000万元以上"),
         gettext_noop("传统优势产业的工业企业")),
    ]:
        c.section(f"growth.{key}")
        par = f"growth_{key}_min_revenue"
        path = c.param(par).citation
        recognised = c.condition(kind, flag, field=ok_name, values={ok_name: flag}, cite=path)
        big = c.threshold(label, measure, par, field=measure_field)
        out[f"growth.{key}"] = c.all(growth, recognised, big)
    c.section(None)
    qualifies = {
        "comprehensive": comp,
        "functional.general": f_general,
        "functional.modern_services": f_modern,
        "functional.trade_circulation": f_trade,
        "functional.foreign_investment": f_foreign,
        **out,
    }
    eligible = c.any(*qualifies.values())
    if not c.vector:
        c.step("可申请认定的类型（每次只能申报其一）", [k for k in CATEGORIES if qualifies[k]],
               cite=(DOC, "附件 第十二条(一)", "只能申报其中之一"))
    return {"outcome": c.where(eligible, "eligible", "ineligible"), "qualifies_for": qualifies}


class ApplicationWindowInput(RuleInput):
    filed_on: dt.date = Field(description=N_("申报日期"))


def _window_plain(decision, result, focus) -> None:
    """第十一条 in the applicant's terms: the date inside the window, or the next window."""
    from django.utils.translation import gettext as _

    from kmgov.rules.plain import fmt_date, trace_step

    s = trace_step(decision, "申报日期在每年", "filed_on")
    v = (s or {}).get("values") or {}
    words = {"d": fmt_date(v["filed_on"]) if v.get("filed_on") else "—", "doc": DOC}
    if decision.get("outcome") == "open":
        words.update(s=fmt_date(decision["window_start"]), e=fmt_date(decision["window_end"]))
        result["sentence"] = _("%(d)s在总部企业认定申报期限内（%(s)s至%(e)s；%(doc)s 附件 第十一条）。") % words
        return
    start, end = dt.date.fromisoformat(decision["window_start"]), dt.date.fromisoformat(decision["window_end"])
    filed = dt.date.fromisoformat(v["filed_on"]) if v.get("filed_on") else None
    if filed is not None and filed > end:  # this year's window is over: next year's
        start, end = start.replace(year=start.year + 1), end.replace(year=end.year + 1)
    words.update(s=fmt_date(start), e=fmt_date(end))
    result["sentence"] = _("%(d)s不在申报期限内：总部企业认定每年3月1日至31日申报（%(doc)s 附件 第十一条），下一次申报期为%(s)s至%(e)s。") % words
    for f in result["findings"]:
        f["todo"] = _("在下一次申报期（%(s)s至%(e)s）内提交申报") % words


@rule(
    "headquarters.application_window",
    title="总部企业认定申报期限",
    inputs=ApplicationWindowInput,
    outputs=("window_start", "window_end"),
    outcomes=("open", "closed"),
    refusals=("closed",),
    plain=_window_plain,
    cite=[(DOC, "附件 第十一条", "总部企业认定的申报期限为每年3月1日至31日")],
    vectorised=False,
)
def application_window(c: Ctx):
    """第十一条：每年3月1日至31日申报（含首尾两日）。"""
    start, end = c.p("application_window")
    d = c.x.filed_on
    s = dt.date.fromisoformat(f"{d.year}-{start}")
    e = dt.date.fromisoformat(f"{d.year}-{end}")
    ok = c.condition(gettext_noop("申报日期在每年3月1日至31日之间（含）"), s <= d <= e, field="filed_on",
                     values={"filed_on": d.isoformat(), "start": s.isoformat(), "end": e.isoformat()},
                     todo=gettext_noop("在每年3月1日至31日的申报期内提交申报"))
    return {"outcome": "open" if ok else "closed", "window_start": s.isoformat(), "window_end": e.isoformat()}
