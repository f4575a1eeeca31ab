/// The default stop-word list for Lifestyle's text pipeline.
///
/// Written for this project by hand (not copied from any published list). It holds the
/// Chinese words that carry grammar rather than lifestyle: personal and demonstrative
/// pronouns, interrogatives, structural/aspect/sentence-final particles (的 了 吗 呢 …),
/// modal and auxiliary verbs, conjunctions, prepositions and localisers, common degree,
/// time and mood adverbs, light verbs, numerals/classifiers and a few very generic nouns,
/// interjections, microblog client furniture (转发微博, 网页链接, 展开全文, 秒拍视频 …), and a
/// handful of English function words.
///
/// Entries are in simplified Chinese and lower-case Latin, i.e. in the form text has after
/// normalisation (NFKC, full-width → half-width, lower-casing, optional traditional →
/// simplified, run collapsing such as 哈哈哈哈 → 哈哈), so filter *after* normalising.
///
/// Deliberately NOT stop words: laughter and crying (哈哈, 嘻嘻, 呜呜, 啊啊), bracketed
/// emoticons ([赞], [doge]), and evaluative words (好, 喜欢, 推荐, 打卡): how people laugh,
/// praise and check in differs between lifestyles, and IDF already discounts what everybody
/// writes. Single characters such as 上/下/前/后 are included because character n-gram
/// segmentation emits them on their own; as parts of longer words they are unaffected.
///
/// Hand-maintained: keep entries unique (a duplicate is harmless for a Set but is a typo).
enum DefaultStopWords {
    static let words: [String] = [
        // Personal and demonstrative pronouns
        "我", "你", "您", "他", "她", "它", "我们", "你们", "他们", "她们",
        "它们", "咱", "咱们", "俺", "自己", "人家", "大家", "别人", "他人", "本人",
        "这", "那", "这个", "那个", "这些", "那些", "这里", "那里", "这儿", "那儿",
        "这边", "那边", "这样", "那样", "这么", "那么", "这种", "那种", "此", "其",
        "之", "该", "本", "某", "某个", "各", "各位", "各种", "各个", "各自",
        "每", "每个", "任何", "一切", "所有", "全部", "有的", "有些", "有人", "彼此",
        "另", "另外", "别的", "其他", "其它", "其中", "其余",
        // Interrogatives
        "哪", "哪个", "哪些", "哪里", "哪儿", "什么", "啥", "谁", "怎么", "怎样",
        "怎么样", "咋", "为什么", "为啥", "为何", "干嘛", "多少", "几", "几个", "如何",
        "何",
        // Structural, aspect and sentence-final particles
        "的", "地", "得", "了", "着", "过", "吗", "呢", "吧", "啊",
        "呀", "哇", "哦", "噢", "嘛", "呗", "啦", "咯", "喽", "嘞",
        "哟", "诶", "欸", "哎", "唉", "嗯", "呃", "么", "罢了", "而已",
        "似的", "之类", "等等", "等", "所", "者",
        // Modal and auxiliary verbs, copula
        "是", "有", "没", "没有", "会", "能", "能够", "可以", "可", "要",
        "应该", "应当", "必须", "需要", "愿意", "可能", "也许", "或许", "大概", "好像",
        "似乎", "仿佛", "貌似",
        // Conjunctions and discourse connectives
        "和", "与", "及", "以及", "跟", "同", "并", "并且", "而", "而且",
        "或", "或者", "还是", "但", "但是", "可是", "不过", "然而", "只是", "因为",
        "所以", "因此", "因而", "于是", "然后", "接着", "如果", "假如", "要是", "若",
        "若是", "即使", "即便", "哪怕", "虽然", "虽说", "尽管", "不管", "无论", "只要",
        "只有", "除非", "既然", "既", "否则", "不然", "要不", "要不然", "甚至", "从而",
        "为了", "由于", "总之", "也就是说", "比如", "例如", "比如说", "首先", "其次", "最后",
        "一方面", "另一方面", "再说", "此外", "同时", "而是", "不是", "就是说",
        // Prepositions and postpositions
        "在", "从", "自", "自从", "向", "往", "朝", "对", "对于", "关于",
        "给", "把", "被", "让", "叫", "比", "按", "按照", "根据", "通过",
        "经过", "为", "由", "除了", "除", "随着", "当", "于", "以", "至于",
        "直到", "到", "离", "连", "上", "下", "中", "里", "内", "外",
        "前", "后", "之后", "之前", "以后", "以前", "以上", "以下", "之间", "当中",
        "里面", "外面", "前面", "后面",
        // Degree, time, frequency, scope and mood adverbs
        "很", "太", "非常", "特别", "十分", "挺", "真", "真的", "最", "更",
        "更加", "越", "越来越", "比较", "稍微", "有点", "有点儿", "一点", "一点儿", "一些",
        "些", "极", "相当", "尤其", "蛮", "超级", "贼", "已", "已经", "曾",
        "曾经", "正", "正在", "刚", "刚刚", "刚才", "才", "马上", "立刻", "立即",
        "将", "将要", "就要", "快要", "一直", "一向", "总", "总是", "老是", "常",
        "常常", "经常", "往往", "偶尔", "有时", "有时候", "忽然", "终于", "到底", "究竟",
        "反正", "毕竟", "居然", "竟然", "果然", "其实", "确实", "的确", "当然", "简直",
        "几乎", "差不多", "大约", "只", "仅", "仅仅", "就是", "不", "别", "不要",
        "不用", "非", "也", "都", "又", "再", "还", "就", "便", "即",
        "则", "一起", "一块", "一块儿", "一共", "总共", "互相", "相互", "分别", "顺便",
        "反而", "倒", "却", "偏偏", "难道", "本来", "原来", "从来", "始终", "依然",
        "仍然", "仍", "依旧", "又是", "也是", "便是", "正是", "真是", "实在", "根本",
        "完全", "都是", "一定", "肯定", "尽量", "还有", "还要", "也要",
        // Light verbs and very generic predicates
        "说", "讲", "觉得", "认为", "感觉", "看来", "看看", "来", "去", "做",
        "弄", "搞", "使", "令", "成为", "变成", "进行", "开始", "继续", "出来",
        "起来", "下来", "上来", "过来", "过去", "回来", "出去", "进来", "来说", "一下",
        "一下子", "一个", "一种", "一次", "一样", "一般", "一边", "有没有", "是不是", "能不能",
        "要不要", "会不会", "好不好", "对不对", "行不行",
        // Numerals, classifiers and generic nouns
        "一", "二", "两", "三", "个", "次", "种", "件", "位", "条",
        "方面", "问题", "东西", "事", "事情", "地方", "时", "时候", "的时候", "之类的",
        // Interjections (laughter such as 哈哈/嘻嘻/呜呜 is deliberately NOT here: it is kept as a style signal)
        "哎呀", "哎哟", "天哪", "天啊", "我的天", "哇塞", "嘿", "嗨", "喂",
        // Microblog boilerplate (client and repost furniture, not the author's words)
        "转发", "转发微博", "转", "微博", "网页链接", "链接", "全文", "展开全文", "收起全文", "查看图片",
        "分享图片", "分享", "原图", "秒拍视频", "微博视频", "的微博视频", "来自", "发布", "发布了", "发表了",
        "评论", "回复", "转评", "转发抽奖", "私信", "置顶", "超话", "我在", "我在这里", "显示地图",
        "戳", "戳这里", "点击", "长图", "via",
        // English function words (Latin text is lower-cased before filtering)
        "the", "a", "an", "and", "or", "but", "of", "to", "in", "on",
        "at", "for", "with", "from", "by", "as", "about", "than", "then", "so",
        "if", "is", "are", "was", "were", "be", "been", "am", "do", "does",
        "did", "have", "has", "had", "will", "would", "can", "could", "should", "i",
        "me", "my", "we", "our", "you", "your", "he", "his", "she", "her",
        "it", "its", "they", "them", "their", "this", "that", "these", "those", "not",
        "no", "there", "here", "what", "which", "who", "how", "when", "where", "why",
        "all", "any", "some", "more", "most", "other", "such", "only", "very", "just",
        "also", "too", "rt", "http", "https", "www",
    ]
}
