"""Knowledge-base answer quality of the 96128 desk (issue 5, HL-4).

Questions written by the team in callers' everyday words (not the gazette's sentences), at
least one per document of the gazette, each with the entry (or entries) that answers it.
Reports top-1 and top-3 accuracy. Goal: top-3 ≥ 90 %. Then the answers that compute
(kb_compute_questions.yaml, issue 13 item 8): the share of questions whose top 3 holds the
right amount worked by hand (or, without the needed fact, asks for it). Goal: ≥ 90 %.

    python benchmarks/kb_quality.py            # a fresh SQLite database under a temp dir
    python benchmarks/kb_quality.py --json
    DATABASE_URL=postgresql://… python benchmarks/kb_quality.py   # an already set-up database

The question set is also run by tests/hotline/test_kb_quality.py.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

# (question, accepted entry keys) — the first key is the best answer; any listed key counts.
QUESTIONS: list[tuple[str, tuple[str, ...]]] = [
    # 昆政发〔2010〕59号 滇池流域农业结构调整
    ("我家在呈贡，地里原来种菜，现在改种绿化苗木，政府补多少钱一亩", ("ag-conversion-subsidy",)),
    ("花田改成湿地公园能领补贴吗", ("ag-conversion-subsidy",)),
    ("跑到嵩明去租了十亩地种花，有没有租地补贴", ("ag-offsite-rent-subsidy",)),
    ("去外县租田种蔬菜每年能补几百块", ("ag-offsite-rent-subsidy",)),
    ("村里年轻人去学技术找工作，培训费补多少", ("ag-training-subsidy",)),
    ("公司流转了2500亩地，奖励标准是多少", ("ag-land-transfer-reward",)),
    ("种苗木借了银行的钱，利息政府帮着出吗", ("ag-loan-interest",)),
    ("晋宁的补助资金市里承担几成", ("ag-cost-sharing",)),
    ("盘龙区哪一年开始调整农业结构", ("ag-yearly-plan",)),
    ("在滇池边育苗可以用化肥吗", ("ag-fertiliser-ban",)),
    ("我家大棚被拆了给不给补偿", ("ag-facility-demolition",)),
    ("滇池流域的蔬菜以后都去哪些县种", ("ag-crops-relocation",)),
    # 昆政发〔2010〕60号 碳汇造林
    ("想为环保出点钱种树，个人怎么捐款", ("cs-personal-donation", "cs-enterprise-donation")),
    ("我每个月加两百升汽油，要种几亩林子才能抵消", ("cs-footprint",)),
    ("企业出钱造林能不能挂个牌子", ("cs-sign-10mu",)),
    ("碳汇造林政府每年投入多少钱", ("cs-city-funding",)),
    ("2015年森林覆盖率目标是多少", ("cs-greening-targets",)),
    ("排放一吨二氧化碳要花多少钱种树来抵消", ("cs-footprint",)),
    ("碳汇基金归哪个局管", ("cs-contact",)),
    # 昆政发〔2010〕61号 中低产林改造
    ("低产林改造一亩地补助多少", ("fo-subsidy",)),
    ("我家分到户的山林想改造，去哪里申请", ("fo-how-to-apply",)),
    ("自然保护区里的林子可以改造吗", ("fo-excluded",)),
    ("水源地的林子能不能全部砍掉重种", ("fo-methods",)),
    ("改造砍下的木材拉出去卖要开什么证明", ("fo-timber-transport",)),
    ("禄劝县要改造多少万亩低产林", ("fo-county-tasks",)),
    ("间伐胸径很小的树要占砍伐指标吗", ("fo-thinning-quota",)),
    ("怎样判断我的林子是不是低产林", ("fo-criteria",)),
    ("林子改造钱不够可以用林权抵押贷款吗", ("fo-other-funds",)),
    # 昆政发〔2010〕62号 楼宇经济
    ("我们写字楼一万二千平方米，能不能认定商务楼宇", ("be-qualification",)),
    ("楼宇扶持资金几月份申请", ("be-window",)),
    ("申请楼宇奖励要交什么材料", ("be-documents",)),
    ("开发商和物业公司能不能都去申报同一栋楼", ("be-one-applicant",)),
    ("楼宇奖励和别的扶持政策可以叠加吗", ("be-no-double",)),
    ("楼宇经济发展指数有多少项指标", ("be-index",)),
    ("今年楼里有企业出了重大事故还能申报吗", ("be-disqualifying",)),
    ("亿元楼的目标是几栋", ("be-targets",)),
    ("楼宇奖励上限是怎么定的", ("be-reward-cap",)),
    ("商务楼宇的审批流程是怎样的，谁来终审", ("be-procedure",)),
    # 昆政发〔2010〕63号 总部经济
    ("我们集团想申请总部企业，有什么门槛", ("hq-basic-conditions", "hq-comprehensive")),
    ("综合型总部要求营收多少", ("hq-comprehensive",)),
    ("做服务外包的公司能申请哪种总部", ("hq-functional",)),
    ("成长型总部纳税要达到多少", ("hq-growth",)),
    ("总部企业认定几月份报名", ("hq-window",)),
    ("总部企业的绿色通道卡能干什么", ("hq-green-card",)),
    ("总部老总的孩子上学能照顾吗", ("hq-family-services",)),
    ("总部企业造假骗补贴会被怎么处罚", ("hq-fraud",)),
    ("可以同时申请两种总部类型吗", ("hq-one-type",)),
    ("总部企业办公室租金有优惠吗", ("hq-office-space",)),
    # 昆政办〔2010〕106号 安全生产警示
    ("一个月出了两次一般事故，会受到什么警示", ("sw-caution-triggers",)),
    ("被告诫以后几天内要上报整改情况", ("sw-15-days",)),
    ("安全生产警示分几个等级", ("sw-five-actions",)),
    ("企业安全不过关会被媒体曝光吗", ("sw-media-exposure",)),
    # 昆政办〔2010〕107号 零申报
    ("安全生产零申报什么时候交", ("zr-windows",)),
    ("零申报表交给哪个部门", ("zr-route",)),
    ("工地有150个工人，要配几个专职安全员", ("zr-staffing",)),
    ("企业每年要搞几次应急演习", ("zr-drills",)),
    ("旅游企业也要零申报吗", ("zr-scope",)),
    ("零申报迟交了会有什么后果", ("zr-late",)),
    ("特种作业人员必须持证吗", ("zr-certificates",)),
    # 昆政办〔2010〕108号 人民调解
    ("村调委会调解好一起疑难纠纷能奖多少钱", ("mr-reward-rates",)),
    ("以奖代补的钱总共有多少", ("mr-budget",)),
    ("人民调解以奖代补什么时候结束考核", ("mr-phases",)),
    ("哪些调解委员会能拿奖励", ("mr-who",)),
    # 昆政办〔2010〕109号 地质灾害
    ("村里发的避险卡和明白卡是干什么的", ("gd-two-cards",)),
    ("房子后面的山坡出现裂缝，怕泥石流，要找谁", ("gd-what-to-do",)),
    ("四包三落实指的是什么", ("gd-four-three",)),
    ("雨季地灾值班有什么规定", ("gd-duty",)),
    ("受灾群众转移安置谁负责", ("gd-department-roles",)),
    # 昆政办〔2010〕111号 建设工程质检
    ("发现小区在建楼房偷工减料向哪里举报", ("cq-report-problem",)),
    ("开发商在质量方面有什么责任", ("cq-builder-duties",)),
    ("县里的质量监督站至少几个专职人员", ("cq-staffing",)),
    ("监理在工地上应该干什么", ("cq-supervisor-duties",)),
    ("施工队能自己改设计图纸吗", ("cq-contractor-duties",)),
    # 昆政办〔2010〕116号 96128
    ("半夜打96128有没有人接", ("hl-hours",)),
    ("投诉物业应该打12345还是96128", ("hl-96128-vs-12345",)),
    ("怎么查我上次反映的事情处理到哪一步了", ("hl-follow-up",)),
    ("想办个许可证，打热线能办吗", ("hl-approval",)),
    # 昆政任〔2010〕1-8号 人事任免
    ("空港经济区管委会的主任是哪位", ("ap-konggang",)),
    ("食药监局局长叫什么名字", ("ap-food-drug",)),
    # 公共服务信息（116号 三(三)）
    ("家里没水了，是不是停水了", ("ut-water-outage",)),
    ("小区停电了找谁", ("ut-power-outage",)),
    ("厨房里有天然气味怎么办", ("ut-gas-leak",)),
    ("公积金怎么取出来", ("ut-housing-fund",)),
    ("怎么查我的车有没有违章", ("ut-traffic-violation",)),
    ("医保异地看病怎么报销", ("ut-medical-reimburse",)),
    ("养老保险交了几年在哪查", ("ut-social-security",)),
    ("公交车末班车几点", ("ut-bus-routes",)),
]


def _setup_django() -> None:
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "src"))
    if "DATABASE_URL" not in os.environ:
        os.environ.setdefault("KMGOV_VAR", tempfile.mkdtemp(prefix="kmgov-kbq-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kmgov.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from kmgov.core.services import org_tree_load
    from kmgov.hotline.services import kb_seed_load

    org_tree_load()
    kb_seed_load()


def evaluate(questions=QUESTIONS) -> dict:
    """Run the question set against the current database (seeded)."""
    from kmgov.hotline import kb

    top1 = top3 = 0
    misses = []
    for q, keys in questions:
        hits = kb.answers(q, limit=3, include_nodes=False)
        got = [h.key for h in hits]
        if got[:1] and got[0] in keys:
            top1 += 1
        if any(k in keys for k in got[:3]):
            top3 += 1
        else:
            misses.append({"q": q, "expected": list(keys), "got": got})
    n = len(questions)
    return {"questions": n, "top1": top1 / n, "top3": top3 / n, "misses": misses}


COMPUTE_FILE = Path(__file__).with_name("kb_compute_questions.yaml")


def compute_questions() -> list[dict]:
    """The questions that carry their own facts (kb_compute_questions.yaml), each with the
    amount worked by hand from the gazette, or the input the desk must ask for."""
    import yaml

    return yaml.safe_load(COMPUTE_FILE.read_text(encoding="utf-8"))


def _right(case: dict, c: dict | None) -> bool:
    if not c or c["rule"] != case["rule"]:
        return False
    if "ask" in case:
        return c["status"] == "needs" and any(m["field"] == case["ask"] for m in c["missing"])
    if c["status"] != "computed":
        return False
    got = c["outputs"].get(case.get("output", "amount_yuan"))
    return got is not None and abs(float(got) - float(case["amount"])) < 0.005


def evaluate_compute(cases=None) -> dict:
    """The share of questions answered with the right amount (or the right question back)
    in the top 3, and in the first answer."""
    from kmgov.hotline import compute

    cases = compute_questions() if cases is None else cases
    top1 = top3 = 0
    misses = []
    for case in cases:
        hits = compute.answers(case["q"], limit=3, include_nodes=False)
        right = [_right(case, h.computed) for h in hits]
        top1 += bool(right[:1] and right[0])
        if any(right):
            top3 += 1
        else:
            misses.append({"q": case["q"], "expected": case.get("amount", case.get("ask")),
                           "got": [(h.key, (h.computed or {}).get("status"),
                                    (h.computed or {}).get("outputs")) for h in hits]})
    n = len(cases)
    return {"questions": n, "top1": top1 / n, "top3": top3 / n, "misses": misses}


def main() -> None:
    _setup_django()
    result = evaluate()
    result["compute"] = evaluate_compute()
    if "--json" in sys.argv:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"questions: {result['questions']}")
    print(f"top-1 accuracy: {result['top1']:.1%}")
    print(f"top-3 accuracy: {result['top3']:.1%}  (goal ≥ 90 %)")
    for m in result["misses"]:
        print(f"  miss: {m['q']}  expected {m['expected']}  got {m['got']}")
    c = result["compute"]
    print(f"answers that compute: {c['questions']} questions with their own facts")
    print(f"  right amount (or question back) first: {c['top1']:.1%}")
    print(f"  right amount (or question back) in the top 3: {c['top3']:.1%}  (goal ≥ 90 %)")
    for m in c["misses"]:
        print(f"  miss: {m['q']}  expected {m['expected']}  got {m['got']}")


if __name__ == "__main__":
    main()
