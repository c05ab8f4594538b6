"""Where things are: streets (街道) and villages of each district, and point-in-district tests.

Centres are approximate street centres in GCJ-02 (as Chinese map services use), each checked
to lie inside its district's shipped boundary (see tests/test_demo_places.py).
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from functools import lru_cache

from data.reference.districts import load_districts

LIWAN, YUEXIU, HAIZHU, TIANHE, BAIYUN = "440103", "440104", "440105", "440106", "440111"
HUANGPU, PANYU, HUADU, NANSHA, CONGHUA, ZENGCHENG = (
    "440112",
    "440113",
    "440114",
    "440115",
    "440117",
    "440118",
)
# Metres per degree of latitude; longitude degrees shrink with cos(latitude).
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Street:
    """A street (街道) or town, or a village within one: the finest location the demo uses."""

    district_code: str
    name_zh: str
    name_en: str
    lon: float
    lat: float

    @property
    def key(self) -> str:
        """A stable key: district code and Chinese name."""
        return f"{self.district_code}:{self.name_zh}"


def _streets(code: str, rows: tuple[tuple[str, str, float, float], ...]) -> tuple[Street, ...]:
    """Street records of one district from (中文, English, lon, lat) rows."""
    return tuple(Street(code, zh, en, lon, lat) for zh, en, lon, lat in rows)


STREETS: dict[str, tuple[Street, ...]] = {
    LIWAN: _streets(
        LIWAN,
        (
            ("白鹤洞街", "Baihedong Street", 113.2440, 23.0830),
            ("中南街", "Zhongnan Street", 113.2200, 23.0620),
            ("海龙街", "Hailong Street", 113.2000, 23.0795),
            ("东漖街", "Dongjiao Street", 113.2180, 23.0850),
            ("冲口街", "Chongkou Street", 113.2370, 23.0990),
            ("多宝街", "Duobao Street", 113.2400, 23.1210),
            ("茶滘街", "Chajiao Street", 113.2220, 23.0980),
            ("花地街", "Huadi Street", 113.2280, 23.1080),
            ("石围塘街", "Shiweitang Street", 113.2300, 23.1180),
            ("东沙街", "Dongsha Street", 113.2400, 23.0600),
            ("沙面街", "Shamian Street", 113.2435, 23.1085),
            ("岭南街", "Lingnan Street", 113.2480, 23.1175),
            ("华林街", "Hualin Street", 113.2485, 23.1225),
            ("昌华街", "Changhua Street", 113.2385, 23.1250),
            ("逢源街", "Fengyuan Street", 113.2400, 23.1290),
            ("龙津街", "Longjin Street", 113.2480, 23.1265),
            ("金花街", "Jinhua Street", 113.2385, 23.1345),
            ("彩虹街", "Caihong Street", 113.2470, 23.1425),
            ("南源街", "Nanyuan Street", 113.2325, 23.1365),
            ("西村街", "Xicun Street", 113.2440, 23.1440),
            ("桥中街", "Qiaozhong Street", 113.2250, 23.1280),
        ),
    ),
    YUEXIU: _streets(
        YUEXIU,
        (
            ("洪桥街", "Hongqiao Street", 113.2640, 23.1380),
            ("北京街", "Beijing Street", 113.2700, 23.1250),
            ("六榕街", "Liurong Street", 113.2620, 23.1310),
            ("流花街", "Liuhua Street", 113.2580, 23.1430),
            ("光塔街", "Guangta Street", 113.2600, 23.1250),
            ("人民街", "Renmin Street", 113.2580, 23.1195),
            ("东山街", "Dongshan Street", 113.2950, 23.1270),
            ("农林街", "Nonglin Street", 113.2920, 23.1320),
            ("梅花村街", "Meihuacun Street", 113.2990, 23.1370),
            ("黄花岗街", "Huanghuagang Street", 113.2950, 23.1430),
            ("华乐街", "Huale Street", 113.2870, 23.1400),
            ("建设街", "Jianshe Street", 113.2830, 23.1350),
            ("大塘街", "Datang Street", 113.2780, 23.1220),
            ("珠光街", "Zhuguang Street", 113.2820, 23.1190),
            ("大东街", "Dadong Street", 113.2880, 23.1250),
            ("白云街", "Baiyun Street", 113.3000, 23.1180),
            ("登峰街", "Dengfeng Street", 113.2835, 23.1510),
            ("矿泉街", "Kuangquan Street", 113.2525, 23.1560),
        ),
    ),
    HAIZHU: _streets(
        HAIZHU,
        (
            ("瑞宝街", "Ruibao Street", 113.2720, 23.0760),
            ("南华西街", "Nanhuaxi Street", 113.2625, 23.1055),
            ("海幢街", "Haizhuang Street", 113.2700, 23.1085),
            ("龙凤街", "Longfeng Street", 113.2620, 23.1020),
            ("江南中街", "Jiangnanzhong Street", 113.2740, 23.1040),
            ("滨江街", "Binjiang Street", 113.2835, 23.1060),
            ("素社街", "Sushe Street", 113.2880, 23.1030),
            ("昌岗街", "Changgang Street", 113.2780, 23.0970),
            ("沙园街", "Shayuan Street", 113.2680, 23.0920),
            ("南石头街", "Nanshitou Street", 113.2570, 23.0840),
            ("凤阳街", "Fengyang Street", 113.2850, 23.0880),
            ("新港街", "Xingang Street", 113.3050, 23.1000),
            ("江海街", "Jianghai Street", 113.3050, 23.0880),
            ("赤岗街", "Chigang Street", 113.3350, 23.0990),
            ("南洲街", "Nanzhou Street", 113.3000, 23.0760),
            ("华洲街", "Huazhou Street", 113.3400, 23.0800),
            ("琶洲街", "Pazhou Street", 113.3700, 23.0980),
            ("官洲街", "Guanzhou Street", 113.3825, 23.0740),
        ),
    ),
    TIANHE: _streets(
        TIANHE,
        (
            ("天河南街", "Tianhenan Street", 113.3250, 23.1350),
            ("林和街", "Linhe Street", 113.3260, 23.1480),
            ("沙河街", "Shahe Street", 113.3140, 23.1530),
            ("石牌街", "Shipai Street", 113.3420, 23.1350),
            ("冼村街", "Xiancun Street", 113.3320, 23.1260),
            ("猎德街", "Liede Street", 113.3300, 23.1180),
            ("员村街", "Yuancun Street", 113.3650, 23.1250),
            ("天园街", "Tianyuan Street", 113.3630, 23.1350),
            ("棠下街", "Tangxia Street", 113.3800, 23.1380),
            ("车陂街", "Chebei Street", 113.3950, 23.1280),
            ("五山街", "Wushan Street", 113.3500, 23.1600),
            ("长兴街", "Changxing Street", 113.3650, 23.1750),
            ("龙洞街", "Longdong Street", 113.3750, 23.1950),
        ),
    ),
    BAIYUN: _streets(
        BAIYUN,
        (
            ("三元里街", "Sanyuanli Street", 113.2650, 23.1650),
            ("松洲街", "Songzhou Street", 113.2465, 23.1725),
            ("棠景街", "Tangjing Street", 113.2650, 23.1820),
            ("景泰街", "Jingtai Street", 113.2800, 23.1700),
            ("新市街", "Xinshi Street", 113.2700, 23.1880),
            ("同德街", "Tongde Street", 113.2400, 23.1850),
            ("京溪街", "Jingxi Street", 113.3250, 23.1850),
            ("同和街", "Tonghe Street", 113.3200, 23.2000),
            ("永平街", "Yongping Street", 113.3000, 23.2100),
            ("嘉禾街", "Jiahe Street", 113.2850, 23.2250),
            ("石井街", "Shijing Street", 113.2300, 23.2000),
            ("金沙街", "Jinsha Street", 113.2150, 23.1650),
            ("太和镇", "Taihe Town", 113.3500, 23.3000),
            ("人和镇", "Renhe Town", 113.2650, 23.3400),
        ),
    ),
    HUANGPU: _streets(
        HUANGPU,
        (
            ("黄埔街", "Huangpu Street", 113.4450, 23.0950),
            ("鱼珠街", "Yuzhu Street", 113.4270, 23.1015),
            ("大沙街", "Dasha Street", 113.4550, 23.1100),
            ("红山街", "Hongshan Street", 113.4800, 23.0950),
            ("夏港街", "Xiagang Street", 113.4700, 23.1150),
            ("萝岗街", "Luogang Street", 113.4900, 23.1800),
            ("联和街", "Lianhe Street", 113.4350, 23.1950),
            ("长岭街", "Changling Street", 113.5030, 23.2880),
        ),
    ),
    PANYU: _streets(
        PANYU,
        (
            ("洛浦街", "Luopu Street", 113.3050, 23.0465),
            ("大石街", "Dashi Street", 113.3100, 23.0150),
            ("钟村街", "Zhongcun Street", 113.3100, 22.9900),
            ("南村镇", "Nancun Town", 113.3800, 23.0100),
            ("小谷围街", "Xiaoguwei Street", 113.3900, 23.0550),
            ("市桥街", "Shiqiao Street", 113.3700, 22.9450),
            ("沙头街", "Shatou Street", 113.3500, 22.9300),
            ("桥南街", "Qiaonan Street", 113.3750, 22.9250),
            ("东环街", "Donghuan Street", 113.3950, 22.9500),
            ("石壁街", "Shibi Street", 113.2750, 22.9950),
            ("大龙街", "Dalong Street", 113.4050, 22.9650),
        ),
    ),
    HUADU: _streets(
        HUADU,
        (
            ("新华街", "Xinhua Street", 113.2200, 23.4000),
            ("新雅街", "Xinya Street", 113.2000, 23.4200),
            ("秀全街", "Xiuquan Street", 113.1900, 23.3750),
            ("花城街", "Huacheng Street", 113.2400, 23.3900),
            ("狮岭镇", "Shiling Town", 113.1400, 23.4600),
            ("花山镇", "Huashan Town", 113.3000, 23.4500),
        ),
    ),
    NANSHA: _streets(
        NANSHA,
        (
            ("南沙街", "Nansha Street", 113.6000, 22.7800),
            ("珠江街", "Zhujiang Street", 113.6000, 22.7000),
            ("黄阁镇", "Huangge Town", 113.5300, 22.8200),
            ("东涌镇", "Dongchong Town", 113.4600, 22.8800),
            ("大岗镇", "Dagang Town", 113.4100, 22.8000),
            ("横沥镇", "Hengli Town", 113.5000, 22.7300),
        ),
    ),
    CONGHUA: _streets(
        CONGHUA,
        (
            ("街口街", "Jiekou Street", 113.5850, 23.5500),
            ("江埔街", "Jiangpu Street", 113.5900, 23.5200),
            ("城郊街", "Chengjiao Street", 113.5600, 23.5700),
            ("太平镇", "Taiping Town", 113.4800, 23.4500),
            ("温泉镇", "Wenquan Town", 113.6200, 23.6400),
        ),
    ),
    ZENGCHENG: _streets(
        ZENGCHENG,
        (
            ("荔城街", "Licheng Street", 113.8100, 23.2900),
            ("增江街", "Zengjiang Street", 113.8400, 23.3000),
            ("新塘镇", "Xintang Town", 113.6150, 23.1300),
            ("永宁街", "Yongning Street", 113.6400, 23.1700),
            ("朱村街", "Zhucun Street", 113.7000, 23.2900),
            ("中新镇", "Zhongxin Town", 113.6300, 23.3000),
        ),
    ),
}

# Villages (城中村) inside a street: cases cluster in them, as in 海南村 in 2021.
VILLAGES: dict[str, tuple[Street, ...]] = {
    LIWAN: _streets(
        LIWAN,
        (
            ("中南街海南村", "Hainan Village, Zhongnan Street", 113.2150, 23.0680),
            ("中南街东塱村", "Donglang Village, Zhongnan Street", 113.2270, 23.0690),
        ),
    ),
}


def street(code: str, name_zh: str) -> Street:
    """The street or village of a district with this Chinese name."""
    for place in (*STREETS[code], *VILLAGES.get(code, ())):
        if place.name_zh == name_zh:
            return place
    raise KeyError(f"no street {name_zh} in district {code}")


Ring = tuple[tuple[float, float], ...]


@lru_cache(maxsize=1)
def district_shapes() -> dict[str, tuple[tuple[Ring, ...], ...]]:
    """Each district's polygons as rings of (lon, lat): outer ring first, then holes."""
    shapes: dict[str, tuple[tuple[Ring, ...], ...]] = {}
    for district in load_districts():
        geometry = json.loads(district.boundary_geojson)
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        shapes[district.code] = tuple(
            tuple(tuple((float(x), float(y)) for x, y in ring) for ring in polygon)
            for polygon in polygons
        )
    return shapes


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Ray casting: does a ray east from the point cross the ring an odd number of times?"""
    inside = False
    previous_lon, previous_lat = ring[-1]
    for ring_lon, ring_lat in ring:
        if (ring_lat > lat) != (previous_lat > lat):
            crossing = (previous_lon - ring_lon) * (lat - ring_lat) / (
                previous_lat - ring_lat
            ) + ring_lon
            if lon < crossing:
                inside = not inside
        previous_lon, previous_lat = ring_lon, ring_lat
    return inside


def in_district(code: str, lon: float, lat: float) -> bool:
    """Whether a GCJ-02 point lies inside the district's shipped boundary."""
    for outer, *holes in district_shapes()[code]:
        if _in_ring(lon, lat, outer) and not any(_in_ring(lon, lat, hole) for hole in holes):
            return True
    return False


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    """The point `east_m` metres east and `north_m` metres north of (lon, lat)."""
    east = east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
    return lon + east, lat + north_m / METRES_PER_DEGREE


def point_near(
    rng: random.Random, code: str, lon: float, lat: float, max_m: float
) -> tuple[float, float]:
    """A random point within `max_m` metres of (lon, lat) that is inside the district."""
    for _ in range(30):
        distance = max_m * math.sqrt(rng.random())
        bearing = rng.uniform(0.0, 2.0 * math.pi)
        x, y = offset(lon, lat, distance * math.sin(bearing), distance * math.cos(bearing))
        if in_district(code, x, y):
            return round(x, 6), round(y, 6)
    return round(lon, 6), round(lat, 6)


def ring_around(
    rng: random.Random, lon: float, lat: float, radius_m: float, vertices: int = 8
) -> list[list[float]]:
    """A closed, slightly irregular polygon ring around a centre (GeoJSON order: lon, lat)."""
    ring: list[list[float]] = []
    for index in range(vertices):
        bearing = 2.0 * math.pi * index / vertices
        reach = radius_m * rng.uniform(0.75, 1.15)
        x, y = offset(lon, lat, reach * math.sin(bearing), reach * math.cos(bearing))
        ring.append([round(x, 6), round(y, 6)])
    ring.append(list(ring[0]))
    return ring
