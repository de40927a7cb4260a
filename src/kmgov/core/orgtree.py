"""The organisation tree of Kunming as the 2010 gazette names it (SPEC X-4).

Names are written as the gazette writes them; `aliases` holds the other spellings it uses
(e.g. 经开区 for 昆明经济技术开发区), so that text from the gazette can be matched to a unit.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    children: tuple["UnitSpec", ...] = field(default=())


def _county(code, name, short, kind="county", aliases=(), children=()):
    return UnitSpec(code, name, kind, short, (short, *aliases), tuple(children))


# Departments every county-level government has for the gazette's procedures.
COUNTY_DEPARTMENTS = (
    ("agriculture", "农业局"),
    ("forestry", "林业局"),
    ("commerce", "商务局"),
    ("safety", "安全生产监督管理局"),
    ("justice", "司法局"),
    ("land", "国土资源局"),
    ("housing", "住房和城乡建设局"),
    ("finance", "财政局"),
)

COUNTIES = (
    _county("wuhua", "五华区", "五华"),
    _county("panlong", "盘龙区", "盘龙", children=(
        UnitSpec("panlong-dianyuan", "滇源镇", "township", "滇源", ("盘龙区滇源镇",)),
        UnitSpec("panlong-aziying", "阿子营镇", "township", "阿子营", ("盘龙区阿子营镇",)),
    )),
    _county("guandu", "官渡区", "官渡"),
    _county("xishan", "西山区", "西山"),
    _county("dongchuan", "东川区", "东川"),
    _county("chenggong", "呈贡县", "呈贡"),
    _county("jinning", "晋宁县", "晋宁"),
    _county("fumin", "富民县", "富民"),
    _county("yiliang", "宜良县", "宜良"),
    _county("shilin", "石林彝族自治县", "石林", aliases=("石林县",)),
    _county("songming", "嵩明县", "嵩明"),
    _county("luquan", "禄劝彝族苗族自治县", "禄劝", aliases=("禄劝县",)),
    _county("xundian", "寻甸回族彝族自治县", "寻甸", aliases=("寻甸县",)),
    _county("anning", "安宁市", "安宁"),
    _county("jingkai", "昆明经济技术开发区", "经开区", kind="zone",
            aliases=("昆明经济技术开发区管委会", "经开区管委会")),
    _county("gaoxin", "昆明高新技术产业开发区", "高新区", kind="zone",
            aliases=("昆明国家高新技术产业开发区", "高新区管委会")),
    _county("dujia", "昆明滇池国家旅游度假区", "度假区", kind="zone",
            aliases=("滇池国家旅游度假区", "度假区管委会")),
    _county("konggang", "昆明空港经济区", "空港经济区", kind="other_body",
            aliases=("昆明空港经济区管委会",)),
    _county("chenggong-newtown", "昆明呈贡新城", "呈贡新城", kind="other_body",
            aliases=("昆明呈贡新城管委会",)),
    _county("yangzonghai", "昆明阳宗海风景名胜区", "阳宗海", kind="other_body",
            aliases=("昆明阳宗海风景名胜区管委会",)),
)

CITY_DEPARTMENTS = (
    UnitSpec("city-agriculture", "昆明市农业局", "department", "市农业局"),
    UnitSpec("city-forestry", "昆明市林业局", "department", "市林业局"),
    UnitSpec("city-landscape", "昆明市园林绿化局", "department", "市园林局"),
    UnitSpec("city-commerce", "昆明市商务局", "department", "市商务局"),
    UnitSpec("city-statistics", "昆明市统计局", "department", "市统计局"),
    UnitSpec("city-safety", "昆明市安全生产监督管理局", "department", "市安监局",
             ("市安全生产委员会办公室", "市安委办")),
    UnitSpec("city-justice", "昆明市司法局", "department", "市司法局"),
    UnitSpec("city-land", "昆明市国土资源局", "department", "市国土局", ("市国土资源局",)),
    UnitSpec("city-housing", "昆明市住房和城乡建设局", "department", "市住建局"),
    UnitSpec("city-transport", "昆明市交通运输局", "department", "市交运局"),
    UnitSpec("city-water", "昆明市水务局", "department", "市水务局"),
    UnitSpec("city-dianchi", "昆明市滇池管理局", "department", "市滇管局"),
    UnitSpec("city-finance", "昆明市财政局", "department", "市财政局"),
    UnitSpec("city-development", "昆明市发展和改革委员会", "department", "市发改委"),
    UnitSpec("city-planning", "昆明市规划局", "department", "市规划局"),
    UnitSpec("city-supply", "昆明市供销合作社", "department", "市供销社"),
    UnitSpec("city-civil-affairs", "昆明市民政局", "department", "市民政局"),
    UnitSpec("city-weather", "昆明市气象局", "department", "市气象局"),
    UnitSpec("city-mayors-hotline", "昆明市人民政府市长热线办公室", "department", "市长热线办",
             ("市政府市长热线办",)),
    UnitSpec("city-service-bureau", "昆明市政务服务管理局", "department", "政务服务管理局"),
    UnitSpec("city-general-office", "昆明市人民政府办公厅", "department", "市政府办公厅"),
)

CITY = UnitSpec(
    "kunming", "昆明市", "city", "昆明", ("昆明市人民政府", "市政府"),
    children=(*CITY_DEPARTMENTS, *COUNTIES),
)


def walk(spec: UnitSpec = CITY, parent_code: str | None = None):
    """Yield (spec, parent_code) depth-first, county departments generated under each county."""
    yield spec, parent_code
    for child in spec.children:
        yield from walk(child, spec.code)
    if spec.kind in ("county", "zone"):
        for suffix, dept in COUNTY_DEPARTMENTS:
            yield UnitSpec(f"{spec.code}-{suffix}", f"{spec.name}{dept}", "department",
                           f"{spec.short_name}{dept}"), spec.code
