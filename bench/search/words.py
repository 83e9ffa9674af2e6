"""Word lists for the synthetic archive, written for this benchmark (fictional, not from any
real release). Order matters: earlier words are drawn more often (a Zipf-like curve), as in
real text, so some queries match a large share of the archive and most match little.
"""

ENGLISH_FUNCTION = (
    "the of and to in a for on is will be by with at from as that this are has an which it "
    "have its or their was were been not also all more than after during about into under over "
    "between other any each such these those who may can should would our his her they we"
).split()

ENGLISH_CONTENT = (
    "government department public members hong kong district services said today spokesman "
    "secretary chief executive council community residents health report year new scheme "
    "support development said programme service information project office measures "
    "arrangements applications meeting hospital school students education transport road "
    "traffic police fire safety weather observatory temperature rain typhoon signal warning "
    "harbour ferry pier bus railway station airport exhibition museum library park festival "
    "sports venue football swimming pool cultural arts performance concert heritage building "
    "housing estate flats land planning environment waste recycling water supply electricity "
    "energy climate air quality pollution noise food hygiene restaurant licence inspection "
    "market prices trade economy business companies investment finance bank budget tax "
    "revenue expenditure funding grant subsidy allowance employment labour workers wages "
    "training youth elderly children families women welfare social care centre volunteers "
    "medical doctors nurses patients clinic vaccine vaccination infection cases virus disease "
    "treatment prevention court legal law ordinance regulation bill amendment consultation "
    "proposal review committee panel board chairman members appointment announcement "
    "statement figures statistics survey results quarter month week increase decrease rate "
    "percent total number compared previous period provisional estimates tender notes bonds "
    "exchange fund monetary authority currency customs excise seizure suspected drugs "
    "smuggling arrested operation investigation charged offence penalty fine prosecution "
    "immigration visitors tourism hotel travel border control point crossing vehicles "
    "parking closure lanes works maintenance repair construction contract engineering slope "
    "drainage flooding landslip emergency rescue ambulance incident accident injured "
    "reminds urges advises public should avoid remain alert stay indoors precautions "
    "opening ceremony officiating guests speech remarks visit delegation mainland overseas "
    "cooperation agreement memorandum signed partnership innovation technology digital "
    "data privacy security cyber online platform website mobile app smart city pilot trial "
    "launched extended completed commenced resumed suspended cancelled postponed scheduled "
    "held attended organised jointly supported funded provided offered received recorded "
    "reported confirmed announced approved endorsed published issued released updated "
    "lantern moon dragon boat new lunar spring summer autumn winter holiday celebration "
    "fireworks display lighting marathon races carnival fair book film music dance drama "
    "agriculture fisheries conservation country trail hiking beach marine wildlife animals "
    "birds trees plants green greening landscape garden cemetery columbarium funeral "
    "elections voters polling candidates nominations registration electoral boundaries "
    "legislative district councillors ombudsman audit commission integrity corruption "
    "civil servants recruitment vacancies examination grade appointments promotions "
    "retirement pension insurance mandatory provident scheme contributions members"
).split()

# Two-word phrases that recur, so phrase queries have something to find.
ENGLISH_PHRASES = (
    "press conference",
    "public consultation",
    "Legislative Council",
    "Chief Executive",
    "financial secretary",
    "amber rainstorm",
    "heat stress",
    "cold weather",
    "air quality",
    "traffic arrangements",
    "special traffic",
    "road works",
    "water supply",
    "food safety",
    "public health",
    "health protection",
    "dengue fever",
    "opening ceremony",
    "tender results",
    "exchange fund",
    "retail sales",
    "unemployment rate",
    "consumer prices",
    "visitor arrivals",
    "lantern festival",
    "dragon boat",
    "country parks",
    "cultural heritage",
    "smart city",
    "district council",
    "building safety",
    "fire services",
    "marine department",
    "lost property",
)

# Common Traditional Chinese words of press releases (2 to 4 characters), written for this bench.
CHINESE_WORDS = (
    "政府 今日 市民 香港 發言人 表示 部門 公布 宣布 計劃 服務 社區 發展 工作 安排 措施 "
    "提供 進行 有關 包括 繼續 支持 加強 推行 落實 申請 資助 活動 項目 委員會 會議 報告 "
    "建議 諮詢 公眾 意見 地區 居民 長者 兒童 青年 學生 學校 教育 醫院 醫生 病人 衞生 "
    "健康 疫苗 接種 個案 感染 預防 治療 交通 道路 車輛 巴士 鐵路 港鐵 渡輪 碼頭 機場 "
    "旅客 旅遊 酒店 展覽 博物館 圖書館 公園 節日 慶祝 表演 音樂會 文化 藝術 體育 比賽 "
    "場地 游泳池 足球 房屋 屋邨 單位 土地 規劃 環境 廢物 回收 食水 供應 電力 能源 氣候 "
    "空氣 質素 污染 噪音 食物 安全 餐廳 牌照 巡查 市場 價格 貿易 經濟 企業 公司 投資 "
    "金融 銀行 財政 預算 稅收 收入 開支 撥款 津貼 就業 勞工 工資 培訓 福利 照顧 中心 "
    "義工 法院 法例 條例 規例 修訂 草案 立法會 行政長官 司長 局長 署長 主席 成員 委任 "
    "統計 數字 調查 結果 季度 月份 增加 減少 比率 百分比 總數 比較 期間 臨時 估計 投標 "
    "債券 外匯基金 金融管理局 海關 檢獲 懷疑 毒品 走私 拘捕 行動 調查 起訴 罪行 罰款 "
    "入境 訪客 邊境 管制站 口岸 泊車 封閉 行車線 工程 維修 建造 合約 斜坡 渠務 水浸 "
    "山泥傾瀉 緊急 救援 救護車 事故 受傷 提醒 呼籲 避免 保持 警覺 留在室內 預防措施 "
    "開幕 典禮 主禮 嘉賓 致辭 訪問 代表團 內地 海外 合作 協議 備忘錄 簽署 夥伴 創新 "
    "科技 數碼 數據 私隱 網絡 網上 平台 網站 手機 應用程式 智慧城市 試驗 推出 延長 "
    "完成 開始 恢復 暫停 取消 延期 舉行 出席 舉辦 聯合 資助 收到 錄得 確認 批准 發表 "
    "發出 更新 燈籠 中秋節 龍舟 新春 農曆 夏季 冬季 假期 煙花 匯演 燈飾 馬拉松 嘉年華 "
    "書展 電影 舞蹈 戲劇 漁農 自然 護理 郊野公園 遠足徑 泳灘 海洋 野生動物 雀鳥 樹木 "
    "植物 綠化 園景 花園 選舉 選民 投票 候選人 提名 登記 選區 區議會 議員 申訴專員 "
    "審計 廉政 公務員 招聘 空缺 考試 職系 退休 強積金 供款 天文台 颱風 信號 暴雨 警告 "
    "氣溫 酷熱 寒冷 天氣 颱風信號 熱帶氣旋 雷暴 大雨 市區 新界 九龍 港島 離島 北區 "
    "西貢 沙田 大埔 元朗 屯門 荃灣 葵青 觀塘 黃大仙 深水埗 油尖旺 灣仔 中西區 東區 南區"
).split()

CHINESE_FUNCTION = "的 於 及 和 在 將 已 為 與 並 由 對 向 以 其 之 等 均 亦 會".split()

DEPARTMENTS = [
    (f"bench-{index:02d}", f"Bench Department {index}", f"測試部門{index}")
    for index in range(1, 41)
]
CATEGORIES = [
    (f"bench-topic-{index:02d}", f"Bench topic {index}", f"測試類別{index}")
    for index in range(1, 13)
]

# Syllables and characters for synthetic proper names (places, people, organisations, projects):
# a long tail of rare words, as real archives have, so most searches match few releases.
NAME_SYLLABLES = (
    "tai wan kok shan tin mong lam ling pak sha lok fu chau kwai chung tsing yi ma on tseung "
    "kwan po lau hang ngau wo hop che kung sai ying tung chek lap mui shek lei yuen long tuen "
    "mun tsuen hung hom yau tsim sheung shui fan ting luk sun kei ho man lee chan wong cheung"
).split()
NAME_CHARACTERS = (
    "大灣角山田望林嶺白沙樂富洲葵涌青衣馬鞍將軍澳坑牛頭角和合石車公西營東涌赤鱲梅李源朗屯門荃紅磡"
    "油尖上水粉錦綠新基何文陳黃張劉楊趙周吳鄭王梁謝林郭羅高宋唐許韓馮鄧曹彭曾蕭田董潘袁蔡蔣余杜葉"
)
