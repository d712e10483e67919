package colony_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fencedBlocks returns the bodies of the ``` blocks of md whose info string is lang.
func fencedBlocks(md, lang string) []string {
	var blocks []string
	var cur *strings.Builder
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && trimmed == "```"+lang:
			cur = &strings.Builder{}
		case cur != nil && trimmed == "```":
			blocks = append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(line + "\n")
		}
	}
	return blocks
}

// normalizeSpace collapses every run of white space to one space.
func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(b)
}

// TestReadmeSnippetsAreCompiledExamples fails when a Go snippet of README.md is not,
// white space aside, part of example_test.go, where it is compiled and run.
func TestReadmeSnippetsAreCompiledExamples(t *testing.T) {
	blocks := fencedBlocks(readFile(t, "README.md"), "go")
	require.GreaterOrEqual(t, len(blocks), 10, "README.md lost its Go snippets")
	examples := normalizeSpace(readFile(t, "example_test.go"))
	for i, b := range blocks {
		assert.True(t, strings.Contains(examples, normalizeSpace(b)), // not Contains: it would print all of example_test.go
			"README Go block %d is not in example_test.go (white space aside):\n%s", i+1, b)
	}
}

// TestReadmeSetUpIsTheTwoCommands pins the "Set up" section to exactly the two
// commands of the design.
func TestReadmeSetUpIsTheTwoCommands(t *testing.T) {
	readme := readFile(t, "README.md")
	_, section, ok := strings.Cut(readme, "\n## Set up\n")
	require.True(t, ok, "README.md has no Set up section")
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := fencedBlocks(section, "sh")
	require.Len(t, blocks, 1)
	assert.Equal(t, "go run ./examples/quickstart\ngo test -race ./...\n", blocks[0])
}

// TestReadmeLocalLinksExist checks that every relative link of README.md points at
// a file or directory of the repository.
func TestReadmeLocalLinksExist(t *testing.T) {
	links := regexp.MustCompile(`\]\(([^)#]+)\)`).FindAllStringSubmatch(readFile(t, "README.md"), -1)
	require.NotEmpty(t, links)
	for _, m := range links {
		target := m[1]
		if strings.Contains(target, "://") {
			continue
		}
		_, err := os.Stat(filepath.FromSlash(target))
		assert.NoError(t, err, "README links to %s", target)
	}
}
