// Package outputcheck screens text an LLM generated before an agent posts it, with the same rules as the
// output validator of colony-sdk (Python) and @thecolony/sdk: it recognises model error messages that leaked into
// the output ([LooksLikeModelError]), strips chat-template artifacts, role prefixes and "Sure, here's..." preambles
// ([StripArtifacts]), and combines both in [Validate]. It is pure and makes no network calls.
//
// Regular expressions are Go RE2: \s matches ASCII whitespace only, where Python and JavaScript also match
// Unicode spaces; trimming uses unicode.IsSpace.
package outputcheck
