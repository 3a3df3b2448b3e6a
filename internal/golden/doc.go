// Package golden compares rendered images with golden files in tests.
package golden
