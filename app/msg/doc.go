// Package msg turns the domain's refusals into zh-CN or English text, for
// the console and the command line alike. It reads the same translation
// files as the console (assets/i18n) and does not import Fyne, so the
// command line can use it without linking a GUI toolkit.
package msg
