"""The sample releases `pressroom loaddemo` writes: fictional, and marked "Sample" / "示例".

Every place, office and figure here is invented for the demo. Dates are relative: `days_ago`
counts back from the day the demo is loaded (Hong Kong time), so the newest page is never empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from pressroom.core.demo.blocks import bullets, columns, heading, lines, numbered, para, rule, table
from pressroom.wire.model import Block

# A release with this time is scheduled for later on the day the demo loads (not yet public).
LATER_TODAY = "later"


@dataclass(frozen=True)
class Office:
    code: str
    name_en: str
    name_zh_hant: str


@dataclass(frozen=True)
class Topic:
    slug: str
    name_en: str
    name_zh_hant: str


@dataclass(frozen=True)
class Text:
    title: str
    body: tuple[Block, ...]


@dataclass(frozen=True)
class Picture:
    scene: str  # a key of pressroom.core.demo.pictures.SCENES
    caption_zh: str
    caption_en: str = ""


@dataclass(frozen=True)
class Sample:
    key: str
    days_ago: int
    time: str  # "HH:MM" Hong Kong time, or LATER_TODAY
    office: str
    topics: tuple[str, ...]
    zh: Text
    en: Text | None = None  # None: a Chinese-only release
    pictures: tuple[Picture, ...] = ()
    state: str = "published"  # or "scheduled", "corrected", "withdrawn"
    note: str = ""  # the correction note or the withdrawal reason


OFFICES = (
    Office("sample-harbourfront", "Harbourfront Office (Sample)", "海濱事務處（示例）"),
    Office(
        "sample-parks", "Country Parks and Trails Office (Sample)", "郊野公園及遠足徑事務處（示例）"
    ),
    Office("sample-transport", "Transport Information Unit (Sample)", "運輸資訊組（示例）"),
    Office("sample-libraries", "Public Libraries Office (Sample)", "公共圖書館事務處（示例）"),
    Office("sample-health", "Community Health Office (Sample)", "社區健康事務處（示例）"),
    Office("sample-statistics", "Statistics and Treasury Unit (Sample)", "統計及庫務組（示例）"),
)

TOPICS = (
    Topic("city-life", "City Life", "城市生活"),
    Topic("environment", "Environment", "環境"),
    Topic("transport", "Transport", "交通"),
    Topic("culture-leisure", "Culture and Leisure", "文化康樂"),
    Topic("health", "Health", "健康"),
    Topic("finance", "Finance and Economy", "財經"),
)

ANNOUNCERS_EN = "Attention duty announcers, radio and TV stations:"
ANNOUNCERS_ZH = "各位當值宣佈員、電台及電視台："

SAMPLES: tuple[Sample, ...] = (
    # ---- today -------------------------------------------------------------------------------
    Sample(
        "promenade-opens",
        0,
        "09:15",
        "sample-harbourfront",
        ("city-life",),
        en=Text(
            "Sample: Lantern Bay promenade extension opens to the public (with photos)",
            (
                para(
                    "The 600-metre extension of the Lantern Bay promenade opens to the public today, "
                    "the Harbourfront Office (Sample) announced. The new section links the ferry pier "
                    "with the waterfront garden and is open 24 hours a day."
                ),
                para("The extension includes:"),
                bullets(
                    "a cycle track shared with a jogging lane",
                    "two viewing decks with seating",
                    "drinking fountains and a pet garden",
                    "a lawn for small outdoor performances",
                ),
                para(
                    "Members of the public are reminded to keep the promenade clean and to give way "
                    "to pedestrians when cycling."
                ),
            ),
        ),
        zh=Text(
            "示例：燈籠灣海濱長廊延伸段今日開放（附圖）",
            (
                para(
                    "海濱事務處（示例）宣布，燈籠灣海濱長廊六百米延伸段今日起開放予市民使用。新路段連接渡輪碼頭與海濱花園，全日二十四小時開放。"
                ),
                para("延伸段設施包括："),
                bullets(
                    "與緩跑徑並行的單車徑",
                    "兩個設有座椅的觀景台",
                    "飲水機及寵物公園",
                    "可供小型戶外表演使用的草坪",
                ),
                para("事務處提醒市民保持長廊清潔，踏單車時須讓路予行人。"),
            ),
        ),
        pictures=(
            Picture(
                "harbour",
                "燈籠灣海濱長廊延伸段今日開放。圖示長廊對岸景色。",
                "The Lantern Bay promenade extension opens today. Photo shows the view across the bay.",
            ),
            Picture(
                "harbour",
                "市民可於新觀景台欣賞海港景色。",
                "Visitors can enjoy the harbour view from the new viewing decks.",
            ),
        ),
    ),
    Sample(
        "festival-traffic",
        0,
        "10:40",
        "sample-transport",
        ("transport", "city-life"),
        en=Text(
            "Sample: Temporary traffic arrangements for weekend street festival",
            (
                lines(ANNOUNCERS_EN),
                para(
                    "Please broadcast the following as a traffic announcement at regular intervals "
                    "this Saturday and Sunday:"
                ),
                para(
                    "To facilitate the Sample Street Festival, the following road sections will be "
                    "closed to vehicles:"
                ),
                table(
                    ("Road section", "Closure"),
                    ("Market Street (between Pier Road and Hill Road)", "Saturday 10am to 11pm"),
                    ("Lantern Lane (whole length)", "Saturday and Sunday, 9am to 10pm"),
                    ("Bay View Terrace (eastbound)", "Sunday 2pm to 8pm"),
                ),
                para(
                    "Motorists are advised to use Harbour Road instead. Bus routes will be diverted "
                    "as directed by the police on site."
                ),
            ),
        ),
        zh=Text(
            "示例：周末街頭節慶期間臨時交通安排",
            (
                lines(ANNOUNCERS_ZH),
                para("請於本星期六及星期日定時播出以下交通消息："),
                para("為配合示例街頭節慶，以下路段將禁止車輛通行："),
                table(
                    ("路段", "封閉時間"),
                    ("街市街（碼頭道至山道之間）", "星期六上午十時至晚上十一時"),
                    ("燈籠里（全段）", "星期六及星期日上午九時至晚上十時"),
                    ("海景台（東行）", "星期日下午二時至晚上八時"),
                    separator="：",
                ),
                para("駕駛人士請改用海港道。巴士路線將按現場警務人員指示改道。"),
            ),
        ),
    ),
    Sample(
        "health-talks",
        0,
        "12:30",
        "sample-health",
        ("health",),
        en=Text(
            "Sample: Free health talks at community centres this month",
            (
                para(
                    "The Community Health Office (Sample) will hold free talks on healthy eating and "
                    "sleep at three community centres this month. Each talk lasts about an hour and "
                    "is given in Cantonese."
                ),
                table(
                    ("Date", "Venue", "Topic"),
                    ("Tuesday", "North Bay Community Centre", "Eating well on a budget"),
                    ("Thursday", "Pine Ridge Community Hall", "Better sleep for older people"),
                    ("Saturday", "Lantern Bay Civic Centre", "Healthy snacks for children"),
                ),
                para(
                    "Seats are given on a first-come, first-served basis. No registration is needed."
                ),
            ),
        ),
        zh=Text(
            "示例：社區中心本月舉辦免費健康講座",
            (
                para(
                    "社區健康事務處（示例）本月將於三間社區中心舉辦免費健康講座，主題包括健康飲食及睡眠。每場講座約一小時，以粵語進行。"
                ),
                table(
                    ("日期", "地點", "主題"),
                    ("星期二", "北灣社區中心", "精明消費 健康飲食"),
                    ("星期四", "松嶺社區會堂", "長者睡眠好"),
                    ("星期六", "燈籠灣文娛中心", "兒童健康小食"),
                    separator="：",
                ),
                para("座位先到先得，無須預先登記。"),
            ),
        ),
    ),
    Sample(
        "exam-hours",
        0,
        "15:05",
        "sample-libraries",
        ("culture-leisure",),
        en=Text(
            "Sample: Libraries extend opening hours during examination season",
            (
                para(
                    "Four major public libraries will extend their opening hours during the "
                    "examination season, from next Monday for six weeks, the Public Libraries Office "
                    "(Sample) announced today."
                ),
                numbered(
                    "Central Sample Library: 8am to 11pm daily",
                    "Lantern Bay Library: 9am to 10pm daily",
                    "Pine Ridge Library: 9am to 10pm, Monday to Saturday",
                    "North Bay Library: 9am to 9pm daily",
                ),
                para(
                    "Study rooms at these libraries will open half an hour before the libraries "
                    "themselves. Readers are asked not to reserve seats by leaving belongings on them."
                ),
            ),
        ),
        zh=Text(
            "示例：考試期間圖書館延長開放時間",
            (
                para(
                    "公共圖書館事務處（示例）今日宣布，四間主要公共圖書館將於考試期間延長開放時間，由下星期一起為期六星期。"
                ),
                numbered(
                    "中央示例圖書館：每日上午八時至晚上十一時",
                    "燈籠灣圖書館：每日上午九時至晚上十時",
                    "松嶺圖書館：星期一至六上午九時至晚上十時",
                    "北灣圖書館：每日上午九時至晚上九時",
                ),
                para("上述圖書館的自修室將較館舍提早半小時開放。請讀者切勿以個人物品霸佔座位。"),
            ),
        ),
    ),
    Sample(
        "visitor-spending",
        0,
        "16:45",
        "sample-statistics",
        ("finance",),
        en=Text(
            "Sample: Provisional visitor spending figures for last month",
            (
                para(
                    "Provisional figures released today by the Statistics and Treasury Unit (Sample) "
                    "show that spending by visitors rose by 6.2 per cent last month compared with the "
                    "same month a year earlier."
                ),
                columns(
                    ("Item", "Last month ($m)", "Change (%)"),
                    ("Shopping", "4,812", "+5.1"),
                    ("Dining", "2,106", "+8.4"),
                    ("Hotels", "1,975", "+7.0"),
                    ("Transport and others", "633", "+2.3"),
                    widths=(24, 18, 10),
                ),
                para(
                    "The figures are fictional and are published only to demonstrate how a table "
                    "appears in a release."
                ),
            ),
        ),
        zh=Text(
            "示例：上月訪客消費臨時數字",
            (
                para(
                    "統計及庫務組（示例）今日公布的臨時數字顯示，上月訪客消費較去年同月上升百分之六點二。"
                ),
                columns(
                    ("項目", "上月（百萬元）", "變動（%）"),
                    ("購物", "4,812", "+5.1"),
                    ("餐飲", "2,106", "+8.4"),
                    ("酒店", "1,975", "+7.0"),
                    ("交通及其他", "633", "+2.3"),
                    widths=(12, 16, 10),
                ),
                para("上述數字純屬虛構，只用作示範新聞稿內的表格。"),
            ),
        ),
    ),
    Sample(
        "trail-reopens",
        0,
        LATER_TODAY,
        "sample-parks",
        ("environment",),
        state="scheduled",
        en=Text(
            "Sample: Pine Ridge Trail reopens after maintenance",
            (
                para(
                    "Section 3 of the Pine Ridge Trail will reopen tomorrow after six weeks of "
                    "maintenance works, which replaced worn steps and added handrails on steep parts."
                ),
                para(
                    "Hikers should wear suitable shoes, carry enough water and check the weather "
                    "before setting out."
                ),
            ),
        ),
        zh=Text(
            "示例：松嶺遠足徑完成維修重開",
            (
                para(
                    "松嶺遠足徑第三段完成為期六星期的維修工程，明日重開。工程更換了損耗的梯級，並在陡斜路段加設扶手。"
                ),
                para("遠足人士應穿著合適鞋履，帶備足夠食水，出發前留意天氣。"),
            ),
        ),
    ),
    Sample(
        "ferry-timetable",
        0,
        LATER_TODAY,
        "sample-transport",
        ("transport",),
        state="scheduled",
        en=Text(
            "Sample: New ferry timetable for Lantern Bay route from next month",
            (
                para(
                    "The ferry service between Lantern Bay and Central Pier will run every 15 minutes "
                    "at peak hours from the first day of next month, up from every 20 minutes."
                ),
                table(
                    ("Period", "Frequency"),
                    ("Weekday peak hours", "every 15 minutes"),
                    ("Weekday off-peak", "every 30 minutes"),
                    ("Weekends and public holidays", "every 20 minutes"),
                ),
            ),
        ),
        zh=Text(
            "示例：燈籠灣渡輪航線下月起實施新班次",
            (
                para(
                    "燈籠灣往中環碼頭的渡輪服務將於下月一日起，在繁忙時段由每二十分鐘一班增至每十五分鐘一班。"
                ),
                table(
                    ("時段", "班次"),
                    ("平日繁忙時段", "每十五分鐘一班"),
                    ("平日非繁忙時段", "每三十分鐘一班"),
                    ("周末及公眾假期", "每二十分鐘一班"),
                    separator="：",
                ),
            ),
        ),
    ),
    # ---- yesterday ---------------------------------------------------------------------------
    Sample(
        "tree-planting",
        1,
        "09:30",
        "sample-parks",
        ("environment",),
        en=Text(
            "Sample: Tree-planting day draws 800 volunteers (with photos)",
            (
                para(
                    "About 800 volunteers planted 3,000 native seedlings on the hillside of Pine "
                    "Ridge Country Park yesterday, the Country Parks and Trails Office (Sample) said."
                ),
                para(
                    "The seedlings will help restore a slope damaged by a hill fire two years ago. "
                    "Staff will water and check them regularly over the next three years."
                ),
            ),
        ),
        zh=Text(
            "示例：植樹日吸引八百名義工參與（附圖）",
            (
                para(
                    "郊野公園及遠足徑事務處（示例）表示，約八百名義工昨日在松嶺郊野公園山坡種植三千棵原生樹苗。"
                ),
                para(
                    "樹苗有助修復兩年前遭山火破壞的山坡。職員將於未來三年定期為樹苗澆水及作檢查。"
                ),
            ),
        ),
        pictures=(
            Picture(
                "hills",
                "義工在松嶺郊野公園山坡種植原生樹苗。",
                "Volunteers plant native seedlings on a hillside in Pine Ridge Country Park.",
            ),
            Picture(
                "hills",
                "新種植的樹苗將協助修復山坡。",
                "The newly planted seedlings will help the slope recover.",
            ),
        ),
    ),
    Sample(
        "dragon-boat-rehearsal",
        1,
        "11:00",
        "sample-harbourfront",
        ("city-life", "culture-leisure"),
        state="corrected",
        note="Corrected the rehearsal date in the second paragraph (Saturday, not Sunday). "
        "更正第二段的綵排日期（星期六，並非星期日）。",
        en=Text(
            "Sample: Arrangements for dragon boat rehearsal at Lantern Bay",
            (
                para(
                    "Part of the Lantern Bay waterfront will be closed for a dragon boat race "
                    "rehearsal this weekend, the Harbourfront Office (Sample) announced."
                ),
                para(
                    "The rehearsal will take place on Saturday from 8am to 1pm. The section of the "
                    "promenade between the ferry pier and the boathouse will be closed during that "
                    "time."
                ),
            ),
        ),
        zh=Text(
            "示例：燈籠灣龍舟綵排安排",
            (
                para("海濱事務處（示例）宣布，燈籠灣海濱部分範圍將於本周末因龍舟競賽綵排而封閉。"),
                para(
                    "綵排將於星期六上午八時至下午一時舉行，期間渡輪碼頭至船屋之間的長廊路段將會封閉。"
                ),
            ),
        ),
    ),
    Sample(
        "food-safety",
        1,
        "14:20",
        "sample-health",
        ("health",),
        en=Text(
            "Sample: Reminder on food safety in hot weather",
            (
                para(
                    "With temperatures expected to stay high this week, the Community Health Office "
                    "(Sample) reminds the public to take care when preparing and storing food."
                ),
                bullets(
                    "Keep cooked food hot or put it in the refrigerator within two hours.",
                    "Wash hands before handling food.",
                    "Do not leave food outdoors in the sun during picnics.",
                    "Seek medical advice if you feel unwell after a meal.",
                ),
            ),
        ),
        zh=Text(
            "示例：天氣炎熱 注意食物安全",
            (
                para(
                    "預料本星期天氣持續炎熱，社區健康事務處（示例）提醒市民處理及貯存食物時要格外小心。"
                ),
                bullets(
                    "熟食應保持熱燙，或於兩小時內放入雪櫃。",
                    "處理食物前要洗手。",
                    "野餐時不要把食物放在陽光下。",
                    "進食後如感不適，應盡快求醫。",
                ),
            ),
        ),
    ),
    Sample(
        "story-time",
        1,
        "17:10",
        "sample-libraries",
        ("culture-leisure",),
        zh=Text(
            "示例：兒童故事時間增設普通話場次（只有中文）",
            (
                para(
                    "公共圖書館事務處（示例）宣布，由下星期起，燈籠灣圖書館及北灣圖書館的兒童故事時間將增設普通話場次，逢星期六下午舉行。"
                ),
                para(
                    "故事時間適合四至八歲兒童參加，每場名額二十個，家長可於場次開始前三十分鐘在圖書館櫃檯登記。"
                ),
                para("此新聞稿只有中文版本，用以示範只有一種語言的新聞稿。"),
            ),
        ),
    ),
    Sample(
        "tram-stop",
        1,
        "18:30",
        "sample-transport",
        ("transport",),
        en=Text(
            "Sample: Tram stop on Market Street moves 50 metres east (with photo)",
            (
                para(
                    "The tram stop outside the Market Street cooked food centre will move 50 metres "
                    "east from Sunday to make room for a wider pavement."
                ),
                para(
                    "Passengers are advised to follow the signs on site. Tram services are not "
                    "affected."
                ),
            ),
        ),
        zh=Text(
            "示例：街市街電車站東移五十米（附圖）",
            (
                para("街市街熟食中心外的電車站將於星期日起向東遷移五十米，以擴闊行人路。"),
                para("乘客請留意現場指示牌。電車服務不受影響。"),
            ),
        ),
        pictures=(
            Picture(
                "street",
                "街市街電車站將向東遷移五十米。",
                "The tram stop on Market Street will move 50 metres east.",
            ),
        ),
    ),
    # ---- two days ago ------------------------------------------------------------------------
    Sample(
        "fee-forms",
        2,
        "08:45",
        "sample-statistics",
        ("finance",),
        en=Text(
            "Sample: Public consultation on simpler fee payment forms",
            (
                para(
                    "The Statistics and Treasury Unit (Sample) today launched a six-week public "
                    "consultation on replacing eleven fee payment forms with one short form."
                ),
                para(
                    "Members of the public may send their views by post or e-mail before the end of "
                    "the consultation period. The consultation paper is available at all district "
                    "offices."
                ),
            ),
        ),
        zh=Text(
            "示例：就簡化繳費表格諮詢公眾",
            (
                para(
                    "統計及庫務組（示例）今日展開為期六星期的公眾諮詢，建議以一份簡短表格取代十一份繳費表格。"
                ),
                para("市民可於諮詢期結束前以郵寄或電郵方式提交意見。諮詢文件可於各區辦事處索取。"),
            ),
        ),
    ),
    Sample(
        "reading-festival",
        2,
        "10:15",
        "sample-libraries",
        ("culture-leisure",),
        en=Text(
            "Sample: Reading festival programme announced (with photo)",
            (
                para(
                    "The Sample Reading Festival will run for two weeks next month with more than "
                    "60 events for readers of all ages, the Public Libraries Office (Sample) "
                    "announced today."
                ),
                heading("Highlights"),
                bullets(
                    "talks by local writers",
                    "a second-hand book exchange",
                    "picture-book workshops for families",
                    "a night of poetry readings",
                ),
                para("Admission to all events is free. Some workshops need registration."),
            ),
        ),
        zh=Text(
            "示例：閱讀節節目今日公布（附圖）",
            (
                para(
                    "公共圖書館事務處（示例）今日公布，示例閱讀節將於下月舉行兩星期，為不同年齡的讀者提供超過六十項活動。"
                ),
                heading("精彩節目"),
                bullets("本地作家講座", "二手書交換", "親子繪本工作坊", "詩歌朗誦夜"),
                para("所有活動免費入場，部分工作坊須預先登記。"),
            ),
        ),
        pictures=(
            Picture(
                "shelves",
                "示例閱讀節將設二手書交換活動。",
                "The Sample Reading Festival will include a second-hand book exchange.",
            ),
        ),
    ),
    Sample(
        "night-walk",
        2,
        "13:00",
        "sample-parks",
        ("environment",),
        state="withdrawn",
        note="This release was issued in error: the walk was cancelled earlier. "
        "此新聞稿錯誤發出：有關活動早前已經取消。",
        en=Text(
            "Sample: Guided night walk in Pine Ridge Country Park",
            (
                para(
                    "A guided night walk to observe insects and frogs will be held in Pine Ridge "
                    "Country Park on Saturday evening."
                ),
            ),
        ),
        zh=Text(
            "示例：松嶺郊野公園夜行導賞",
            (para("松嶺郊野公園將於星期六晚上舉行夜行導賞，觀察昆蟲及蛙類。"),),
        ),
    ),
    Sample(
        "water-sports",
        2,
        "15:30",
        "sample-harbourfront",
        ("culture-leisure", "city-life"),
        en=Text(
            "Sample: Water sports open day at Lantern Bay (with photo)",
            (
                para(
                    "Members of the public can try kayaking and stand-up paddling free of charge at "
                    "the Lantern Bay water sports centre on Sunday."
                ),
                para(
                    "Participants must be aged 12 or above and able to swim. Life jackets and "
                    "equipment will be provided."
                ),
            ),
        ),
        zh=Text(
            "示例：燈籠灣水上活動開放日（附圖）",
            (
                para("燈籠灣水上活動中心將於星期日舉行開放日，市民可免費體驗獨木舟及直立板。"),
                para("參加者須年滿十二歲及懂得游泳。中心會提供救生衣及器材。"),
            ),
        ),
        pictures=(
            Picture(
                "harbour",
                "市民可於燈籠灣水上活動中心開放日體驗水上活動。",
                "Visitors can try water sports at the Lantern Bay open day.",
            ),
        ),
    ),
    Sample(
        "vaccination-outreach",
        2,
        "19:00",
        "sample-health",
        ("health",),
        en=Text(
            "Sample: Outreach vaccination schedule for the coming week",
            (
                para(
                    "Outreach teams of the Community Health Office (Sample) will offer seasonal "
                    "vaccination at the following places next week:"
                ),
                table(
                    ("Monday", "North Bay Estate, Block C"),
                    ("Wednesday", "Pine Ridge Village Office"),
                    ("Friday", "Lantern Bay Market, first floor"),
                ),
                para(
                    "Please bring your identity document. The service is free for people aged 65 "
                    "or above."
                ),
            ),
        ),
        zh=Text(
            "示例：下星期外展疫苗接種時間表",
            (
                para("社區健康事務處（示例）外展隊下星期將於以下地點提供季節性疫苗接種："),
                table(
                    ("星期一", "北灣邨C座"),
                    ("星期三", "松嶺村公所"),
                    ("星期五", "燈籠灣街市一樓"),
                    separator="：",
                ),
                para("請帶同身份證明文件。六十五歲或以上人士可免費接種。"),
            ),
        ),
    ),
    # ---- three days ago ----------------------------------------------------------------------
    Sample(
        "cycling-safety",
        3,
        "09:00",
        "sample-transport",
        ("transport",),
        en=Text(
            "Sample: Cycling safety campaign launched (with photo)",
            (
                para(
                    "A three-month cycling safety campaign was launched today with a ride along "
                    "the new Lantern Bay cycle track."
                ),
                para(
                    "The campaign reminds cyclists to wear helmets, use lights after dark and keep "
                    "to cycle tracks where they are provided."
                ),
            ),
        ),
        zh=Text(
            "示例：單車安全運動展開（附圖）",
            (
                para("為期三個月的單車安全運動今日展開，並於燈籠灣新單車徑舉行騎行活動。"),
                para("運動提醒騎單車人士佩戴頭盔、天黑後亮燈，並在設有單車徑的地方使用單車徑。"),
            ),
        ),
        pictures=(
            Picture("track", "單車安全運動今日展開。", "The cycling safety campaign begins today."),
        ),
    ),
    Sample(
        "bond-tender",
        3,
        "11:45",
        "sample-statistics",
        ("finance",),
        en=Text(
            "Sample: Tender results of sample savings notes",
            (
                lines(
                    "The following is issued on behalf of the Statistics and Treasury Unit (Sample):"
                ),
                para(
                    "The tender of the fictional sample savings notes held today was completed. "
                    "The results are as follows:"
                ),
                table(
                    ("Tender date", "today"),
                    ("Amount applied", "HK$3,420 million"),
                    ("Amount allotted", "HK$1,200 million"),
                    ("Average yield accepted", "2.35 per cent"),
                ),
            ),
        ),
        zh=Text(
            "示例：示例儲蓄票據投標結果",
            (
                lines("以下為統計及庫務組（示例）代發的新聞稿："),
                para("今日舉行的虛構示例儲蓄票據投標已經完成，結果如下："),
                table(
                    ("投標日期", "今日"),
                    ("申請額", "三十四億二千萬港元"),
                    ("分配額", "十二億港元"),
                    ("平均接納收益率", "百分之二點三五"),
                    separator="：",
                ),
            ),
        ),
    ),
    Sample(
        "mobile-library",
        3,
        "14:00",
        "sample-libraries",
        ("culture-leisure",),
        en=Text(
            "Sample: Mobile library routes for the next quarter",
            (
                para("Mobile library No. 3 will serve the following stops from next quarter:"),
                columns(
                    ("Day", "Stop", "Hours"),
                    ("Monday", "Pine Ridge Village", "10:00-17:00"),
                    ("Wednesday", "North Bay Estate", "10:00-19:00"),
                    ("Friday", "Hill Road Playground", "13:00-19:00"),
                    widths=(12, 24, 12),
                ),
                rule(),
                para(
                    "Readers can borrow and return books and collect reserved items at every stop."
                ),
            ),
        ),
        zh=Text(
            "示例：下季流動圖書館路線",
            (
                para("第三號流動圖書館下季起將於以下站點服務："),
                columns(
                    ("日子", "站點", "時間"),
                    ("星期一", "松嶺村", "10:00-17:00"),
                    ("星期三", "北灣邨", "10:00-19:00"),
                    ("星期五", "山道遊樂場", "13:00-19:00"),
                    widths=(8, 12, 12),
                ),
                rule(),
                para("讀者可於各站點借還圖書及領取預約資料。"),
            ),
        ),
    ),
    Sample(
        "take-litter-home",
        3,
        "16:20",
        "sample-parks",
        ("environment",),
        en=Text(
            "Sample: Visitors urged to take their litter home",
            (
                para(
                    "Country park visitors are urged to take their litter home. Staff collected "
                    "more than two tonnes of rubbish along trails after the last long weekend."
                ),
                para(
                    "Litter harms wildlife and spoils the countryside for everyone. Offenders may be "
                    "prosecuted."
                ),
            ),
        ),
        zh=Text(
            "示例：籲郊遊人士自己垃圾自己帶走",
            (
                para(
                    "事務處呼籲郊遊人士把垃圾帶走。上一個長周末過後，職員在遠足徑沿途收集了逾兩公噸垃圾。"
                ),
                para("垃圾會傷害野生動物，亦破壞郊野環境。違例者可被檢控。"),
            ),
        ),
    ),
    # ---- four days ago -----------------------------------------------------------------------
    Sample(
        "harbourfront-market",
        4,
        "10:00",
        "sample-harbourfront",
        ("city-life",),
        en=Text(
            "Sample: Harbourfront weekend market pilot scheme (with photos)",
            (
                para(
                    "A pilot weekend market with 40 stalls will open at the Lantern Bay waterfront "
                    "garden next month, selling local produce, crafts and snacks."
                ),
                para(
                    "Stall operators were chosen by ballot from 230 applications. The pilot will run "
                    "for six months and its results will be reviewed."
                ),
            ),
        ),
        zh=Text(
            "示例：海濱周末市集試驗計劃（附圖）",
            (
                para(
                    "燈籠灣海濱花園下月將設有四十個攤位的周末市集試驗計劃，售賣本地農產品、手工藝品及小食。"
                ),
                para("攤主經抽籤從二百三十份申請中選出。試驗計劃為期六個月，其後將作檢討。"),
            ),
        ),
        pictures=(
            Picture(
                "market",
                "海濱周末市集將售賣本地農產品。",
                "The waterfront weekend market will sell local produce.",
            ),
            Picture("market", "市集設有四十個攤位。", "The market will have 40 stalls."),
        ),
    ),
    Sample(
        "elderly-checkups",
        4,
        "12:10",
        "sample-health",
        ("health",),
        en=Text(
            "Sample: Free health checks for people aged 65 or above",
            (
                para(
                    "People aged 65 or above can book a free basic health check at four community "
                    "health centres from next month."
                ),
                para(
                    "The check covers blood pressure, blood sugar, eyesight and hearing. Bookings "
                    "can be made by phone or in person."
                ),
            ),
        ),
        zh=Text(
            "示例：六十五歲或以上人士免費健康檢查",
            (
                para("六十五歲或以上人士由下月起可於四間社區健康中心預約免費基本健康檢查。"),
                para("檢查項目包括血壓、血糖、視力及聽力。市民可致電或親臨預約。"),
            ),
        ),
    ),
    Sample(
        "road-resurfacing",
        4,
        "15:40",
        "sample-transport",
        ("transport",),
        en=Text(
            "Sample: Overnight road resurfacing on Harbour Road",
            (
                lines(ANNOUNCERS_EN),
                para("Please broadcast the following as a traffic announcement:"),
                para(
                    "Two lanes of Harbour Road near Bay View Terrace will be closed from 11pm to "
                    "6am for five nights from Monday for resurfacing. Motorists should expect "
                    "delays and follow the signs on site."
                ),
            ),
        ),
        zh=Text(
            "示例：海港道晚間路面重鋪工程",
            (
                lines(ANNOUNCERS_ZH),
                para("請播出以下交通消息："),
                para(
                    "海港道近海景台的兩條行車線將由星期一起一連五晚，於晚上十一時至翌日上午六時封閉，以進行路面重鋪工程。駕駛人士應預計有延誤，並按現場指示行駛。"
                ),
            ),
        ),
    ),
    Sample(
        "forum-speech",
        4,
        "17:30",
        "sample-statistics",
        ("finance",),
        en=Text(
            "Sample: Speech by head of Statistics and Treasury Unit at sample business forum (with photo)",
            (
                lines(
                    "Following is the speech by the head of the Statistics and Treasury Unit "
                    "(Sample) at a fictional business forum today:"
                ),
                lines("Chairman, ladies and gentlemen,"),
                para(
                    "Good afternoon. It is a pleasure to join you. Today I would like to talk about "
                    "three things: simpler forms, faster payments and clearer statistics."
                ),
                para(
                    "First, simpler forms. We are asking the public how to turn eleven forms into "
                    "one. Second, faster payments: by the end of the year most fees can be paid "
                    "online. Third, clearer statistics: each monthly release will come with a short "
                    "summary in plain words."
                ),
                para("Thank you."),
            ),
        ),
        zh=Text(
            "示例：統計及庫務組主管在示例商業論壇的致辭（附圖）",
            (
                lines("以下是統計及庫務組（示例）主管今日在一個虛構商業論壇的致辭："),
                lines("主席、各位嘉賓："),
                para(
                    "大家好。很高興與大家見面。今日我想談三件事：更簡單的表格、更快捷的繳費和更清晰的統計。"
                ),
                para(
                    "第一，簡化表格。我們正諮詢公眾如何把十一份表格合併為一份。第二，快捷繳費：年底前大部分費用都可以在網上繳付。第三，清晰統計：每月發布的數字都會附上淺白的撮要。"
                ),
                para("多謝各位。"),
            ),
        ),
        pictures=(
            Picture(
                "stage",
                "統計及庫務組（示例）主管在示例商業論壇致辭。",
                "The head of the Statistics and Treasury Unit (Sample) speaks at the sample business forum.",
            ),
        ),
    ),
)
