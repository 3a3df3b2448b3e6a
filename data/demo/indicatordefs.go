package demo

import "fmt"

// The operations centre's indicator catalogue is generated here for the
// demo; the monitoring issue moves definitions into assets/.

// IndicatorDef is one of the city operations centre's indicators.
type IndicatorDef struct {
	ID                             int
	Code, Category, NameZh, NameEn string
	Unit, Direction                string
	Base, Warn, Alarm, DailySwing  float64
}

// IndicatorCategories are the eight categories the operations centre groups
// its indicators in.
var IndicatorCategories = []string{"transport", "public_safety", "urban_management", "environment",
	"public_services", "emergency", "social_stability", "grid_work"}

type metric struct {
	zh, en, unit string
	lowerBetter  bool
	base, swing  float64 // typical hourly value, share of it that follows the day
}

// indicatorMetrics holds the measured quantities of each category; every one
// is watched as its current value, today's running figure and its 7-day
// mean, which gives the centre's 211 indicators (the list is cut at 211).
var indicatorMetrics = map[string][]metric{
	"transport": {{"地铁客流量", "metro ridership", "万人次", false, 35, 0.8}, {"公交客流量", "bus ridership", "万人次", false, 18, 0.7},
		{"道路拥堵指数", "road congestion index", "指数", true, 1.6, 0.5}, {"高快速路平均车速", "expressway mean speed", "km/h", false, 55, 0.3},
		{"交通事故数", "traffic accidents", "起", true, 6, 0.6}, {"出租车及网约车运力", "taxi and ride-hailing supply", "辆", false, 9000, 0.5},
		{"停车位占用率", "parking occupancy", "%", true, 72, 0.3}, {"公交准点率", "bus punctuality", "%", false, 92, 0.05},
		{"轨道交通故障数", "metro incidents", "起", true, 0.4, 0.5}},
	"public_safety": {{"110警情数", "110 police calls", "起", true, 45, 0.6}, {"刑事案件数", "criminal cases", "起", true, 4, 0.5},
		{"治安案件数", "public order cases", "起", true, 9, 0.5}, {"电信诈骗案件数", "telecom fraud cases", "起", true, 3, 0.4},
		{"巡逻警力在岗率", "patrol officers on duty", "%", false, 88, 0.1}, {"视频监控在线率", "cameras online", "%", false, 97, 0.02},
		{"卡口过车量", "vehicles through checkpoints", "万辆", false, 12, 0.7}, {"重点场所检查数", "key sites inspected", "处", false, 40, 0.6},
		{"见警率", "police visibility rate", "%", false, 76, 0.2}},
	"urban_management": {{"城市管理案件受理数", "city management cases received", "件", true, 60, 0.6}, {"案件按期结案率", "cases closed on time", "%", false, 93, 0.05},
		{"占道经营发现数", "street vending found", "处", true, 14, 0.6}, {"违法建设查处数", "illegal buildings dealt with", "处", false, 3, 0.4},
		{"生活垃圾清运量", "household waste collected", "吨", false, 1100, 0.6}, {"路灯亮灯率", "street lights working", "%", false, 98, 0.02},
		{"井盖完好率", "manhole covers intact", "%", false, 99, 0.01}, {"市容环境投诉数", "city appearance complaints", "件", true, 25, 0.5},
		{"共享单车违停数", "badly parked shared bikes", "辆", true, 300, 0.6}},
	"environment": {{"空气质量指数", "air quality index", "AQI", true, 55, 0.3}, {"PM2.5浓度", "PM2.5 concentration", "μg/m³", true, 24, 0.3},
		{"臭氧浓度", "ozone concentration", "μg/m³", true, 90, 0.5}, {"河涌水质达标率", "canal water quality compliance", "%", false, 85, 0.02},
		{"噪声投诉数", "noise complaints", "件", true, 12, 0.7}, {"扬尘在线监测超标点", "dust monitors over limit", "个", true, 2, 0.6},
		{"污水处理量", "sewage treated", "万吨", false, 25, 0.3}, {"降雨量", "rainfall", "mm", true, 1.5, 0.9},
		{"气温", "air temperature", "°C", true, 22, 0.15}},
	"public_services": {{"12345热线来电量", "12345 hotline calls", "个", true, 900, 0.8}, {"热线工单办结率", "hotline orders completed", "%", false, 95, 0.03},
		{"政务服务办件量", "government service cases", "件", false, 5000, 0.9}, {"医院门诊量", "hospital outpatient visits", "万人次", false, 3, 0.9},
		{"急救出车数", "ambulance dispatches", "次", true, 70, 0.5}, {"供水管网压力合格率", "water pressure compliance", "%", false, 99, 0.01},
		{"停电户数", "households without power", "户", true, 120, 0.6}, {"燃气报修数", "gas repair calls", "件", true, 30, 0.6},
		{"群众满意度", "public satisfaction", "%", false, 91, 0.02}},
	"emergency": {{"应急值守到岗率", "emergency duty staff present", "%", false, 98, 0.02}, {"最小应急处置单元可用率", "emergency units available", "%", false, 86, 0.1},
		{"火警数", "fire calls", "起", true, 5, 0.5}, {"防汛积水点数", "waterlogging points", "个", true, 3, 0.9},
		{"地质灾害隐患点巡查率", "geological hazard points patrolled", "%", false, 95, 0.1}, {"应急物资储备完好率", "emergency supplies ready", "%", false, 97, 0.01},
		{"预警信息发布数", "warnings issued", "条", true, 2, 0.6}, {"应急响应平均时长", "mean emergency response time", "分钟", true, 11, 0.3},
		{"安全生产隐患整改率", "work-safety hazards fixed", "%", false, 90, 0.05}},
	"social_stability": {{"矛盾纠纷排查数", "disputes screened", "件", false, 80, 0.6}, {"矛盾纠纷化解率", "disputes resolved", "%", false, 96, 0.03},
		{"信访件数", "petitions", "件", true, 15, 0.6}, {"群体性事件苗头数", "early signs of mass incidents", "起", true, 0.5, 0.5},
		{"重点人员在控率", "key persons under watch", "%", false, 99, 0.01}, {"人民调解成功率", "people's mediation success", "%", false, 97, 0.02},
		{"网络舆情预警数", "online opinion alerts", "条", true, 6, 0.6}, {"劳资纠纷数", "wage disputes", "件", true, 7, 0.5},
		{"法律援助受理数", "legal aid cases taken", "件", false, 20, 0.6}},
	"grid_work": {{"网格事件上报数", "grid events reported", "件", false, 150, 0.8}, {"网格事件按时办结率", "grid events closed on time", "%", false, 92, 0.04},
		{"网格员在岗率", "grid workers on duty", "%", false, 90, 0.2}, {"网格巡查覆盖率", "grids patrolled", "%", false, 85, 0.5},
		{"超期事件数", "overdue events", "件", true, 20, 0.2}, {"出租屋巡查数", "rental rooms checked", "间", false, 600, 0.8},
		{"流动人口登记数", "migrants registered", "人", false, 900, 0.8}, {"街坊志愿者参与人次", "neighbour volunteers active", "人次", false, 3000, 0.8},
		{"网格事件平均处置时长", "mean grid event handling time", "小时", true, 20, 0.2}},
}

var indicatorAspects = []struct{ zh, en, code string }{{"", "", "H"}, {"（当日累计）", " (today so far)", "D"}, {"（7日均值）", " (7-day mean)", "W"}}

// IndicatorDefs returns the 211 indicator definitions, in a stable order.
func IndicatorDefs() []IndicatorDef {
	var out []IndicatorDef
	per := 211 / len(IndicatorCategories)
	extra := 211 % len(IndicatorCategories)
	for ci, cat := range IndicatorCategories {
		want := per
		if ci < extra {
			want++
		}
		n := 0
		for _, a := range indicatorAspects {
			for mi, m := range indicatorMetrics[cat] {
				if n == want {
					break
				}
				n++
				dir, warn, alarm := "higher_better", m.base*0.85, m.base*0.7
				if m.lowerBetter {
					dir, warn, alarm = "lower_better", m.base*1.3, m.base*1.6
				}
				out = append(out, IndicatorDef{ID: len(out) + 1, Code: fmt.Sprintf("%s-%02d%s", cat, mi+1, a.code),
					Category: cat, NameZh: m.zh + a.zh, NameEn: m.en + a.en, Unit: m.unit, Direction: dir,
					Base: m.base, Warn: warn, Alarm: alarm, DailySwing: m.swing})
			}
		}
	}
	return out
}
