// Package demo generates the demo city: from a city's published division
// data (district boundaries and the official lists of streets and
// communities; Guangzhou's are embedded), it cuts streets, communities and
// grids that tile their parents exactly, places governance centers, units,
// responders, cameras, checkpoints and patrol routes, simulates a month of
// cases through the GB/T 30428 workflow and a month of indicator values,
// and writes it all into a new mirror in one transaction. It is imported
// only by `kapok demo` and the console's first run.
package demo
