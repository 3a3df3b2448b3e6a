// Package assets embeds the data Kapok ships: the Guangzhou source data (see
// guangzhou/README.md for sources and licences), the grid-matter catalogue,
// the CJK font subset (fonts/README.md) and the translations of the console
// and of refusals (i18n/).
package assets
