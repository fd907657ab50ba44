"""Phrase tables the demo generator composes posts from: fictional brand, invented wording.

Chinese fragments are clauses without end punctuation (the generator joins them with "，");
English fragments are whole sentences. Placeholders: {p} product, {n} days or times,
{amount} money, {order} order number, {weeks} weeks of use.
"""

PRODUCTS = ("X1", "P3", "K2")

PRODUCT_NAMES = {
    "zh": {
        "X1": ("X1扫地机器人", "极光X1扫地机", "X1扫地机", "极光家居X1扫地机器人", "极光X1"),
        "P3": ("P3空气净化器", "极光P3净化器", "P3净化器", "极光家居P3空气净化器", "极光P3"),
        "K2": ("K2智能水壶", "极光K2水壶", "K2水壶", "极光家居K2智能水壶", "极光K2"),
    },
    "en": {
        "X1": ("Aurora X1 robot vacuum", "X1 robot vacuum", "Aurora X1", "X1 vacuum", "X1"),
        "P3": ("Aurora P3 air purifier", "P3 air purifier", "Aurora P3", "P3 purifier", "P3"),
        "K2": ("Aurora K2 smart kettle", "K2 smart kettle", "Aurora K2", "K2 kettle", "K2"),
    },
}

# Short names for forum titles.
SHORT_NAMES = {"zh": {"X1": "X1扫地机", "P3": "P3净化器", "K2": "K2水壶"},
               "en": {"X1": "Aurora X1", "P3": "Aurora P3", "K2": "Aurora K2"}}

ZH = {
    "positive": {
        "open": ("", "", "", "第二次购买了，", "朋友推荐买的，", "用了一段时间来评价，",
                 "总体来说，", "618入手的，", "送给爸妈的，", "晒个单，"),
        "lead": ("{p}用了{weeks}周，非常满意", "入手{p}{weeks}周了，很喜欢", "买了{p}，真的很好用",
                 "{p}收到了，很满意", "终于买了{p}，超出预期", "{p}好评", "新家添了{p}，很满意"),
        "feature": {
            "X1": ("吸力很强", "噪音很小", "避障很聪明", "自动回充很方便", "地图规划很准确",
                   "猫毛吸得很干净", "拖地效果很好", "解放双手了"),
            "P3": ("净化效果很明显", "甲醛降得很快", "睡眠模式很安静", "滤网很好换",
                   "鼻炎舒服多了", "空气质量显示很直观", "家里空气清新多了"),
            "K2": ("烧水很快", "保温效果很好", "外观漂亮", "倒水很顺手", "手机远程控制很方便",
                   "做工精致", "售后很贴心"),
        },
        "generic": ("物流很快，第二天就到了", "包装很好", "客服服务很周到", "安装很简单",
                    "性价比很高", "做工很好", "APP很好用", "质量很好"),
        "end": ("推荐购买！", "好评！", "五星好评！", "非常满意！", "值得购买。", "会回购的。",
                "已经推荐给朋友了。", "很喜欢！", "满意满意！", "强烈推荐！"),
    },
    "neutral": {
        "question": (
            "{p}有现货吗？什么时候发货", "请问{p}和上一代有什么区别？", "{p}能接入米家吗？",
            "双十一{p}会有优惠吗？", "{p}适合多大面积的房间？", "{p}保修几年？",
            "刚下单了{p}，大概几天能到？", "{p}有没有白色款？", "{p}的售前客服在哪里咨询？",
            "{p}支持以旧换新吗？", "{p}的说明书哪里可以下载？", "{p}的配件在哪里买？",
        ),
        "question_product": {
            "X1": ("X1的边刷多久换一次？", "X1能过门槛吗？", "X1扫地机可以设置禁区吗？"),
            "P3": ("P3的滤网多久换一次？", "P3净化器耗电多少？", "P3能除甲醛吗？"),
            "K2": ("K2水壶能调温度吗？", "K2水壶容量多大？", "K2水壶可以预约烧水吗？"),
        },
        "review": ("{p}收到了，还没开始用，过几天再来追评", "{p}到了，外观和图片一样，功能还没试",
                   "{p}中规中矩吧，和描述差不多", "{p}刚装好，先看看效果", "帮朋友买的{p}，还没用"),
    },
    "negative": {
        "open": ("", "", "", "吐槽一下，", "真的服了，", "第一次写差评，", "无语了，", "大家避雷！",
                 "@极光家居 ", "说实话很失望，"),
        "lead": ("买的{p}，", "{p}，", "我的{p}，", "在极光官方店买了{p}，", "上个月买的{p}，",
                 "家里的{p}，"),
        "topic": {
            "delivery": ("下单{n}天了还没发货", "物流{n}天没更新",
                         "快递一直显示运输中，{n}天了还没到", "送货上门变成放驿站，也没通知",
                         "包裹破损，外壳都摔裂了", "物流慢得要命"),
            "payment": ("付款时被重复扣款{amount}元", "同一个订单重复扣款两次",
                        "支付显示失败但钱已经扣了", "发票一直开不出来",
                        "银行卡被多扣了{amount}元，订单号{order}"),
            "refund": ("退款{n}天了还没到账", "申请退货{n}天没人处理",
                       "退货寄回去{n}天了，退款还没到账", "说好三天到账，现在{n}天了还没退钱",
                       "售后拖着不给退款，订单号{order}"),
            "quality": ("用了{n}天就坏了", "开机没反应，质量太差", "充不进电了，送去维修也没修好",
                        "有很大的塑料味", "用了不到一个月就出故障", "做工粗糙，有瑕疵"),
            "service": ("客服一直不回复", "客服态度很差，敷衍了事", "打了{n}次客服电话都没人接",
                        "在线客服只会发模板回复", "投诉了{n}次没人管"),
            "price": ("刚买{n}天就降价{amount}元", "申请保价被拒", "比别的平台贵了{amount}元",
                      "活动价和页面价不一样，差价不给补"),
            "presale": ("问了{n}次什么时候有货都没人回", "预售说{n}天发货，结果一直拖",
                        "页面写的参数和实物不一样", "售前说能接米家，买了才发现不能用"),
        },
        "topic_product": {
            "X1": ("扫地机总是卡住死机", "X1越扫越脏", "噪音大得吓人"),
            "P3": ("净化器异响很大，质量堪忧", "滤网装不上", "开了一周甲醛一点没降"),
            "K2": ("水壶漏水", "水壶底座烧坏了", "烧出来的水有怪味"),
        },
        "end": ("太失望了！", "再也不买了！", "垃圾产品！", "气死我了！", "差评！", "太差了！",
                "后悔买了。", "什么破服务！", "非常失望！", "坑人！", "垃圾极光，再也不买！",
                "太差劲了，失望透顶。"),
    },
    "incident": {
        "core": ("退款{n}天了还没到账", "极光家居退款系统是不是出问题了？钱一直退不回来",
                 "客服说是支付系统故障，退款延迟，让我继续等",
                 "退货已签收{n}天，退款一直显示处理中", "同样退款卡住的举个手",
                 "上周退的{p}，钱到现在都没退回来", "退款七天了还没到账",
                 "退款显示成功但银行卡没收到钱", "{p}退款{n}天还没到账，客服只会说系统故障"),
        "end": ("太失望了！", "气死了！", "这是什么垃圾系统！", "再也不买了！", "太差了！",
                "坑人！", "差评，失望透顶！"),
    },
    "titles": {
        "positive": ("【晒单】{s}使用一个月感受", "{s}真香", "推荐{s}", "{s}使用体验分享，很满意",
                     "{s}好评"),
        "neutral": ("【求助】{s}有现货吗", "{s}选购咨询", "请教{s}的问题", "{s}售前问题"),
        "negative": ("【投诉】{s}{t}", "{s}{t}，有人一样吗", "避雷{s}：{t}", "{s}{t}，太差了"),
        "topic": {"delivery": "物流太慢", "payment": "重复扣款", "refund": "退款不到账",
                  "quality": "质量问题", "service": "客服不回复", "price": "刚买就降价",
                  "presale": "一直不发货"},
    },
}

EN = {
    "positive": {
        "open": ("", "", "", "Update:", "Honest review:", "Two months in:", "Quick note:",
                 "Bought this on sale."),
        "lead": ("Love my {p}!", "The {p} is great.", "Really happy with the {p}.",
                 "{weeks} weeks with the {p} and I love it.", "The {p} exceeded my expectations.",
                 "Got the {p} last month, great purchase."),
        "feature": {
            "X1": ("Suction is strong.", "It maps the house perfectly.",
                   "It handles pet hair great.", "It is quiet enough to run at night.",
                   "The app is easy to use.", "It docks itself every time."),
            "P3": ("The air feels so much fresher.", "My allergies are way better.",
                   "Sleep mode is nice and silent.", "Swapping the filter takes a minute.",
                   "The air quality display is great."),
            "K2": ("It boils water really fast.", "It keeps tea at the perfect temperature.",
                   "It looks beautiful on the counter.", "The app control is handy.",
                   "The water tastes clean."),
        },
        "generic": ("Delivery was fast.", "Setup took five minutes.", "Support was helpful.",
                    "Great value for money.", "Solid build quality.", "Nice packaging."),
        "end": ("Highly recommend!", "Great buy.", "Very happy with it.", "Five stars.",
                "Would buy again.", "Best purchase this year!", "Love it!", "Excellent product."),
    },
    "neutral": {
        "question": (
            "Is the {p} in stock? When does it ship?", "Does the {p} work with Google Home?",
            "Any discount on the {p} coming for Black Friday?",
            "Just ordered the {p}, how long does shipping usually take?",
            "What is the warranty on the {p}?", "Which room size is the {p} rated for?",
            "Where can I download the manual for the {p}?", "Does the {p} ship to Canada?",
            "Can I buy spare parts for the {p} anywhere?", "Is there a trade-in offer for the {p}?",
        ),
        "question_product": {
            "X1": ("What is the difference between the X1 and the X1 Pro?",
                   "Can the X1 climb door thresholds?", "Can I set no-go zones on the X1?"),
            "P3": ("How often do I need to replace the P3 filter?",
                   "How much power does the P3 draw?", "Does the P3 remove formaldehyde?"),
            "K2": ("Does the K2 have a keep-warm mode?", "What is the capacity of the K2 kettle?",
                   "Can the K2 be scheduled to boil in the morning?"),
        },
        "review": ("The {p} arrived today, have not tried it yet.",
                   "Got the {p}, looks like the pictures. Will report back.",
                   "The {p} does what it says, nothing more.", "Set up the {p} this morning."),
    },
    "negative": {
        "open": ("", "", "", "Ugh.", "PSA:", "Seriously, Aurora?",
                 "Warning to anyone buying Aurora:", "Not happy.", "Third time posting this."),
        "lead": ("My {p}:", "Bought the {p}.", "About my {p}:", "Ordered the {p} from Aurora.",
                 "Re the {p}:"),
        "topic": {
            "delivery": ("It has not shipped {n} days after I ordered.",
                         "Tracking has not updated in {n} days.", "The package arrived damaged.",
                         "Delivery was {n} days late.", "The courier lost my package."),
            "payment": ("I was double charged ${amount}.",
                        "My card was charged twice for one order.",
                        "Checkout failed but the money was taken.",
                        "Charged ${amount} twice on order #{order}."),
            "refund": ("My refund still has not arrived after {n} days.",
                       "Still no refund {n} days after I returned it.",
                       "Refund still not processed after {n} days.",
                       "They keep delaying my refund for order #{order}."),
            "quality": ("It stopped working after {n} days.", "It is broken already.",
                        "Dead after {n} days, clearly defective.",
                        "Cheap plastic, it cracked in a week."),
            "service": ("Customer service ignored me for {n} days.", "Customer service is useless.",
                        "The agent was rude and hung up on me.",
                        "Zero replies from customer service to my {n} emails."),
            "price": ("The price dropped ${amount} right after I bought it.",
                      "They refused to refund the price difference.", "Overpriced for what it is."),
            "presale": ("Asked {n} times whether it is in stock and nobody can answer.",
                        "The presale page promised shipping in {n} days, I am still waiting.",
                        "The spec sheet on the product page was wrong."),
        },
        "topic_product": {
            "X1": ("It gets stuck and makes a horrible grinding noise.",
                   "It keeps failing to dock, a faulty unit."),
            "P3": ("The purifier smells like burnt plastic.", "The fan rattles like crazy."),
            "K2": ("The kettle leaks all over the counter.", "The base burned out."),
        },
        "end": ("Terrible experience.", "So disappointed.", "Worst purchase ever.",
                "Absolutely awful.", "Never buying Aurora again, terrible.", "Useless company.",
                "I am so angry.", "Avoid, total waste of money.", "Really frustrating and awful.",
                "Pathetic."),
    },
    "incident": {
        "core": ("Refund still not processed after {n} days.",
                 "Aurora's refund system seems broken, my money is stuck.",
                 "Their agent blamed a payment system bug for the refund delays.",
                 "Returned my {p} {n} days ago and the refund is still pending.",
                 "Anyone else's Aurora refund stuck?",
                 "Aurora refund shows completed, but my bank account is still empty.",
                 "Day {n} waiting for my Aurora refund for the {p}."),
        "end": ("Terrible.", "This is awful.", "So frustrated and angry.",
                "Worst refund experience ever.", "Unacceptable.", "Ridiculous and disappointing.",
                "Absolutely pathetic."),
    },
    "titles": {
        "positive": ("{s} review after a month", "Really happy with the {s}", "{s}: great buy",
                     "Love the {s}"),
        "neutral": ("Question about the {s}", "{s} availability?", "{s} before buying",
                    "{s} spec question"),
        "negative": ("{s}: {t}, anyone else?", "Complaint: {s} {t}", "{s} {t}, terrible",
                     "Disappointed with the {s}: {t}"),
        "topic": {"delivery": "slow delivery", "payment": "double charged",
                  "refund": "refund never arrived", "quality": "stopped working",
                  "service": "ignored by customer service", "price": "price dropped after purchase",
                  "presale": "presale delays"},
    },
}

PHRASES = {"zh": ZH, "en": EN}

ZH_NUMBERS = "零一二三四五六七八九十"

NAMES = {
    "zh": {
        "family": "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高",
        "suffix": ("爱生活", "的家", "同学", "_bj", "123", "妈妈", "在上海", "不吃香菜", "", "88"),
        "prefix": ("小", "阿", "老", "大", ""),
    },
    "en": {
        "first": ("sarah", "mike", "dan", "emma", "liam", "olivia", "noah", "ava", "jack", "mia",
                  "lucas", "chloe", "ben", "grace", "tom", "nina", "raj", "yuki", "omar", "lena"),
        "suffix": ("_k", ".t", "42", "_home", "smith", "88", "_p", "codes", "", "_uk"),
    },
}
