package data

import (
	"strings"

	"github.com/mozillazg/go-pinyin"
)

// ShortName drops the formal suffix of a community's name ("大源村委会" →
// "大源村", "翠洲社区居民委员会" → "翠洲社区").
func ShortName(name string) string {
	// "居委会会" is a slip the official list makes for some communities
	// (南漖社区居委会会): their names end as the others'.
	for _, suffix := range []string{"村民委员会", "居民委员会", "村委会", "居委会会", "居委会", "委员会"} {
		if strings.HasSuffix(name, suffix) {
			base := strings.TrimSuffix(name, suffix)
			if strings.HasPrefix(suffix, "村") && !strings.HasSuffix(base, "村") {
				base += "村"
			}
			return base
		}
	}
	return name
}

var pinyinArgs = pinyin.NewArgs()

// placeReadings fixes characters whose default reading is wrong in place
// names: go-pinyin reads each character alone, and 番禺 is Pānyú, not Fānyú;
// 都 in a place name is dū, 长 is cháng.
var placeReadings = strings.NewReplacer("番禺", "潘禺", "都", "嘟", "长", "常")

// Pinyin is the toneless pinyin of a Chinese name, syllables run together
// ("大源村委会" → "dayuancunweihui"), for search.
func Pinyin(name string) string {
	return strings.Join(pinyin.LazyPinyin(placeReadings.Replace(name), pinyinArgs), "")
}

// RomanName is the pinyin of a region's proper name without its
// administrative suffix, capitalised: "广州市" → "Guangzhou", "天河区" →
// "Tianhe", "沙面街道" → "Shamian", "太和镇" → "Taihe".
func RomanName(name string) string {
	for _, suffix := range []string{"街道", "区", "镇", "乡", "市"} {
		if strings.HasSuffix(name, suffix) && len([]rune(name)) > len([]rune(suffix))+1 {
			name = strings.TrimSuffix(name, suffix)
			break
		}
	}
	p := Pinyin(name)
	if p == "" {
		return ""
	}
	return strings.ToUpper(p[:1]) + p[1:]
}
