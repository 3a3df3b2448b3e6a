package assets

import "embed"

// FS holds every embedded asset, by path relative to this folder.
//
//go:embed i18n/*.json guangzhou/*.geojson guangzhou/*.csv guangzhou/LICENSE.* guangzhou/README.md matters.csv indicators.csv redcotton.csv calendar/*.csv calendar/README.md fonts/kapok-cjk.ttf
var FS embed.FS
