package mirror

// OpenAt opens a mirror with migrations applied up to version only, to build
// mirrors as older Kapoks left them.
var OpenAt = openAt
