"""Reference chains, loaded by migration; platform admins may refine them in the admin.

Each node: (code, Chinese name, English name, segment, children). A child inherits
nothing from its parent but the path; each node names its own segment.
"""

U, M, D = "upstream", "midstream", "downstream"

CHAINS = [
    (
        "ic",
        "集成电路",
        "Integrated circuits",
        [
            (
                "materials-equipment",
                "材料与设备",
                "Materials and equipment",
                U,
                [
                    ("wafers", "硅片与电子材料", "Silicon wafers and electronic materials", U, []),
                    ("equipment", "半导体设备", "Semiconductor equipment", U, []),
                    ("eda-ip", "EDA工具与IP核", "EDA tools and IP cores", U, []),
                ],
            ),
            (
                "design",
                "芯片设计",
                "Chip design",
                M,
                [
                    ("processors", "处理器与SoC", "Processors and SoCs", M, []),
                    ("analog-rf", "模拟与射频芯片", "Analog and RF chips", M, []),
                    ("memory", "存储芯片", "Memory chips", M, []),
                ],
            ),
            ("manufacturing", "晶圆制造", "Wafer manufacturing", M, []),
            ("packaging-testing", "封装测试", "Packaging and testing", M, []),
            (
                "applications",
                "终端应用",
                "Applications",
                D,
                [
                    ("consumer", "消费电子", "Consumer electronics", D, []),
                    ("automotive", "汽车电子", "Automotive electronics", D, []),
                    ("industrial", "工业控制", "Industrial control", D, []),
                ],
            ),
        ],
    ),
    (
        "ai",
        "人工智能",
        "Artificial intelligence",
        [
            (
                "compute",
                "算力基础",
                "Computing infrastructure",
                U,
                [
                    ("ai-chips", "AI芯片", "AI chips", U, []),
                    ("servers", "服务器与数据中心", "Servers and data centres", U, []),
                ],
            ),
            ("data", "数据资源与标注", "Data resources and labelling", U, []),
            (
                "algorithms",
                "算法与框架",
                "Algorithms and frameworks",
                M,
                [
                    ("foundation-models", "大模型", "Foundation models", M, []),
                    ("frameworks", "开发框架与平台", "Frameworks and platforms", M, []),
                ],
            ),
            (
                "technologies",
                "通用技术",
                "General technologies",
                M,
                [
                    ("vision", "计算机视觉", "Computer vision", M, []),
                    ("speech-nlp", "语音与自然语言处理", "Speech and language processing", M, []),
                ],
            ),
            (
                "applications",
                "行业应用",
                "Industry applications",
                D,
                [
                    ("smart-manufacturing", "智能制造", "Smart manufacturing", D, []),
                    ("healthcare", "智慧医疗", "Healthcare", D, []),
                    ("robots", "智能终端与机器人", "Smart devices and robots", D, []),
                ],
            ),
        ],
    ),
    (
        "new-materials",
        "新材料",
        "New materials",
        [
            (
                "raw-materials",
                "原材料与矿产资源",
                "Raw materials and minerals",
                U,
                [
                    ("rare-earths", "稀土与稀有金属", "Rare earths and rare metals", U, []),
                    ("chemicals", "基础化工原料", "Basic chemicals", U, []),
                ],
            ),
            ("advanced-metals", "先进金属材料", "Advanced metallic materials", M, []),
            ("polymers", "先进高分子材料", "Advanced polymers", M, []),
            ("ceramics", "先进无机非金属材料", "Advanced inorganic materials", M, []),
            ("frontier", "前沿新材料", "Frontier materials (graphene etc.)", M, []),
            (
                "applications",
                "应用领域",
                "Applications",
                D,
                [
                    ("electronics", "电子信息", "Electronics", D, []),
                    ("new-energy", "新能源", "New energy", D, []),
                    ("aerospace", "航空航天", "Aerospace", D, []),
                ],
            ),
        ],
    ),
    (
        "biomedicine",
        "生物医药",
        "Biomedicine",
        [
            (
                "research-inputs",
                "研发与原料",
                "Research and inputs",
                U,
                [
                    ("cro", "研发外包服务", "Contract research (CRO)", U, []),
                    ("apis", "原料药与中间体", "APIs and intermediates", U, []),
                    ("reagents", "生物试剂与耗材", "Reagents and consumables", U, []),
                ],
            ),
            (
                "innovative-drugs",
                "创新药",
                "Innovative drugs",
                M,
                [
                    ("chemical-drugs", "化学药", "Chemical drugs", M, []),
                    ("biologics", "生物药", "Biologics", M, []),
                ],
            ),
            (
                "devices",
                "医疗器械",
                "Medical devices",
                M,
                [
                    ("imaging", "医学影像设备", "Medical imaging", M, []),
                    ("ivd", "体外诊断", "In-vitro diagnostics", M, []),
                ],
            ),
            ("cdmo", "合同研发生产", "Contract development and manufacturing (CDMO)", M, []),
            (
                "distribution",
                "流通与医疗服务",
                "Distribution and care",
                D,
                [
                    ("pharma-distribution", "医药流通", "Pharmaceutical distribution", D, []),
                    ("care", "医疗机构与服务", "Hospitals and care services", D, []),
                ],
            ),
        ],
    ),
]


def load_chains(Chain, ChainNode) -> None:
    """Create or refresh the reference chains (idempotent). Takes the model classes so a
    migration can pass its historical models; paths are written here, not by ``save``."""
    for position, (code, name_zh, name_en, nodes) in enumerate(CHAINS):
        chain, _ = Chain.objects.update_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "position": position}
        )
        _load_nodes(ChainNode, chain, None, code, nodes)


def _load_nodes(ChainNode, chain, parent, prefix, nodes) -> None:
    for position, (code, name_zh, name_en, segment, children) in enumerate(nodes):
        path = f"{prefix}/{code}"
        node, _ = ChainNode.objects.update_or_create(
            path=path,
            defaults={
                "chain": chain,
                "parent": parent,
                "code": code,
                "name_zh": name_zh,
                "name_en": name_en,
                "segment": segment,
                "position": position,
            },
        )
        _load_nodes(ChainNode, chain, node, path, children)
