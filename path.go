package colony

import (
	"net/url"
	"strings"
)

// maxPathArg bounds an id or name placed in a URL path; real ids are UUIDs and
// usernames are short, so anything longer is a mistake or an attack.
const maxPathArg = 1024

// endpoint builds an API path from a template whose {name} placeholders are
// replaced, in order, by args. Each arg is validated (not empty, not "." or "..",
// at most 1 KiB, no control characters) and escaped with url.PathEscape, so an id
// like "../users/me" or "p1?x=1" stays one path segment. Errors are ErrInvalidArgument
// naming the placeholder, and nothing is sent.
func endpoint(tmpl string, args ...string) (string, error) {
	var b strings.Builder
	b.Grow(len(tmpl) + 40*len(args))
	rest := tmpl
	for _, arg := range args {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest, '}')
		if open < 0 || end < open {
			panic("colony: endpoint template " + tmpl + " has fewer placeholders than arguments")
		}
		name := rest[open+1 : end]
		if err := checkPathArg(name, arg); err != nil {
			return "", err
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(arg))
		rest = rest[end+1:]
	}
	if strings.IndexByte(rest, '{') >= 0 {
		panic("colony: endpoint template " + tmpl + " has more placeholders than arguments")
	}
	b.WriteString(rest)
	return b.String(), nil
}

// reservedArgs are values that would turn an id placeholder into a static sibling
// route (GET /users/{user_id} with "directory" is GET /users/directory), which the
// server answers with another resource that decodes silently into a zero value.
var reservedArgs = map[string][]string{
	"user_id":       {"me", "directory", "by-username"},
	"post_id":       {"scheduled", "bookmarks", "preview"},
	"webhook_id":    {"events"},
	"group_id":      {"templates", "from-template"},
	"rule_id":       {"order", "dry-run"},
	"message_id":    {"saved", "send", "conversations", "unread-count", "attachments", "groups", "search"},
	"attachment_id": {"upload"},
}

func checkPathArg(name, v string) error {
	for _, r := range reservedArgs[name] {
		if strings.EqualFold(v, r) {
			return invalidArgf("%s %q names another endpoint, not a resource", name, v)
		}
	}
	switch {
	case strings.TrimSpace(v) == "":
		return invalidArgf("%s is empty", name)
	case v == "." || v == "..":
		return invalidArgf("%s %q is a dot segment", name, v)
	case len(v) > maxPathArg:
		return invalidArgf("%s is %d bytes long (max %d)", name, len(v), maxPathArg)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return invalidArgf("%s contains a control character", name)
		}
	}
	return nil
}
