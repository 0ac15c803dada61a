package format

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// tabWidth is the distance of tab stops in display columns, as the GNU
// Coding Standards ("Formatting Error Messages") fix it for column numbers.
const tabWidth = 8

// cellWidth gives the terminal width of a character: 2 for East Asian
// wide characters and most emoji, 0 for combining marks. Ambiguous-width
// characters count 1 whatever the locale, so reports do not depend on the
// environment.
var cellWidth = &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}

// displayColumn converts a 1-based byte column of line to the 1-based
// display column that the GNU Coding Standards ask for: a tab advances to
// the next multiple of 8, and each other character counts its terminal
// width. An invalid UTF-8 byte counts 1. A column past the end of the line
// keeps its distance from the end.
func displayColumn(line string, byteCol int) int {
	end := byteCol - 1
	extra := 0
	if end > len(line) {
		extra = end - len(line)
		end = len(line)
	}
	if end < 0 {
		return byteCol
	}
	return displayWidth(line[:end]) + extra + 1
}

// displayWidth returns the display columns that text takes from the start
// of a line, with tab stops every 8 columns.
func displayWidth(text string) int {
	col := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == '\t':
			col = (col/tabWidth + 1) * tabWidth
		case r == utf8.RuneError && size == 1:
			col++
		default:
			col += cellWidth.RuneWidth(r)
		}
	}
	return col
}

// escapeControls returns text with its control and format characters
// (Unicode Cc and Cf, tab excepted) and invalid UTF-8 bytes written as Go
// escapes, as \x1b or \u202e. Echoing a source line then cannot move the
// cursor, recolor the terminal or reorder the text.
func escapeControls(text string) string {
	if !needsEscape(text) {
		return text
	}
	var sb strings.Builder
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&sb, `\x%02x`, text[i])
		case r != '\t' && (unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r)):
			if r < 0x80 {
				fmt.Fprintf(&sb, `\x%02x`, r)
			} else {
				fmt.Fprintf(&sb, `\u%04x`, r)
			}
		default:
			sb.WriteString(text[i : i+size])
		}
		i += size
	}
	return sb.String()
}

func needsEscape(text string) bool {
	for _, r := range text {
		if r == utf8.RuneError || r != '\t' && (unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r)) {
			return true
		}
	}
	return false
}
