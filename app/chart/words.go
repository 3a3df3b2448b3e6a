package chart

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Lang is the language of a chart's words.
type Lang string

// Languages.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// ParseLang reads a language tag or locale (zh-CN, zh_CN.UTF-8, zh, en,
// en_US, …): Chinese for zh, English for anything else.
func ParseLang(s string) Lang {
	if strings.HasPrefix(strings.ToLower(s), "zh") {
		return Chinese
	}
	return English
}

// The axis words and English unit names: a fixed table of this package, not
// the console's translation files (assets/i18n), which a chart drawn for a
// briefing or on the command line does not load.
var words = map[Lang]map[string]string{
	Chinese: {"time": "时间（北京时间）", "no data": "无数据", "hourly": "小时值", "daily mean": "日均值", "baseline": "基线"},
	English: {"time": "Time (Beijing)", "no data": "no data", "hourly": "hourly", "daily mean": "daily mean", "baseline": "baseline"},
}

// unitsEn are the catalogue's units in English; others stand as they are.
var unitsEn = map[string]string{
	"件": "cases", "起": "incidents", "处": "sites", "个": "count", "万人次": "10k person-times", "辆": "vehicles",
	"条": "items", "间": "rooms", "次": "times", "指数": "index", "户": "households", "吨": "t", "分钟": "min",
	"人次": "person-times", "人": "people", "万辆": "10k vehicles", "万吨": "10k t", "小时": "h",
}

func (l Lang) word(w string) string {
	if s, ok := words[l][w]; ok {
		return s
	}
	return words[English][w]
}

// unit is the indicator's unit in the language.
func (l Lang) unit(u string) string {
	if l == English {
		if s, ok := unitsEn[u]; ok {
			return s
		}
	}
	return u
}

// title is the indicator's name and the region's, in the language.
func (l Lang) title(s *Series) string {
	name, region := s.Indicator.NameEn, s.RegionPinyin
	if l == Chinese {
		name, region = s.Indicator.NameZh, s.RegionName
	}
	if name == "" {
		name = s.Indicator.Code
	}
	if l == English {
		// The catalogue's English names are in lower case.
		r, n := utf8.DecodeRuneInString(name)
		name = string(unicode.ToUpper(r)) + name[n:]
	}
	if region == "" {
		region = s.Region
	}
	if region == "" {
		return name
	}
	return name + " · " + region
}

// date is a day as the time axis labels it.
func (l Lang) date(t time.Time) string {
	if l == Chinese {
		return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
	}
	return t.Format("Jan 2")
}
