package outputcheck

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxErrorLength is the longest text (in runes, after trimming) [LooksLikeModelError] considers: a longer text is
// real content that merely starts like an error message.
const MaxErrorLength = 500

// Reason says why [Validate] rejected a text.
type Reason string

// Rejection reasons, as colony-sdk names them.
const (
	ReasonEmpty      Reason = "empty"       // nothing is left once artifacts are stripped
	ReasonModelError Reason = "model_error" // the text is a model or provider error message
)

// Result is the outcome of [Validate]: OK with the Cleaned text to post, or not OK with a Reason.
type Result struct {
	OK      bool
	Reason  Reason // "" when OK
	Cleaned string // the stripped text when OK, "" otherwise
}

var modelError = regexp.MustCompile(`(?i)^(?:` + strings.Join([]string{
	`error generating (?:text|response|content)`,
	`(?:an )?error occurred`,
	`i apologize,?\s+(?:but|i)`,
	`i'?m sorry,?\s+(?:but|i)`,
	`(?:sorry,?\s+)?(?:an )?internal error`,
	`failed to generate`,
	`(?:could not|couldn'?t) generate`,
	`unable to (?:connect|reach|generate|respond)`,
	`(?:the )?model (?:is )?(?:unavailable|down|overloaded|offline)`,
	`(?:please )?try again later`,
	`request (?:failed|timed out|timeout)`,
	`rate limit(?:ed)? exceeded`,
	`service (?:unavailable|temporarily unavailable)`,
	`\[?error\]?:?\s`,
	`timeout`,
}, "|") + `)`)

// templateTokens are removed wherever they occur.
var templateTokens = []*regexp.Regexp{
	regexp.MustCompile(`(?i)</?s>`),
	regexp.MustCompile(`(?i)\[/?(?:INST|SYS|SYSTEM|USER|ASSISTANT)\]`),
	regexp.MustCompile(`<\|[^|>]*\|>`),
}

var rolePrefix = regexp.MustCompile(`(?i)^(?:assistant|ai|agent|bot|model|claude|gemma|llama)\s*[:>\-]\s*`)

// preambles are tried in order; only the first that matches is removed.
var preambles = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^(?:sure|certainly|of course|absolutely|okay|ok|alright|right)[,!.]?\s+(?:here's|heres|here is|here|i'll|ill|i will|let me)[^.:\n]*[.:]\s*`),
	regexp.MustCompile(`(?i)^(?:here's|heres|here is)\s+(?:my|the|your|a)[^.:\n]*[.:]\s*`),
	regexp.MustCompile(`(?i)^(?:response|output|reply|answer|result|post|comment)\s*:\s*`),
}

// LooksLikeModelError reports whether text, trimmed, is at most [MaxErrorLength] runes and starts (case-insensitively)
// like a model or provider error: "Error generating text", "I'm sorry, but", "rate limit exceeded", "[ERROR] ...".
func LooksLikeModelError(text string) bool {
	t := strings.TrimSpace(text)
	if t == "" || utf8.RuneCountInString(t) > MaxErrorLength {
		return false
	}
	return modelError.MatchString(t)
}

// StripArtifacts removes chat-template tokens (<s>, [INST], <|im_start|>, ...) everywhere, then one leading role
// prefix ("Assistant:"), then one leading preamble ("Sure, here's the post:"), trimming between steps. It may
// return "".
func StripArtifacts(raw string) string {
	s := strings.TrimSpace(raw)
	for _, re := range templateTokens {
		s = re.ReplaceAllString(s, "")
	}
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(rolePrefix.ReplaceAllString(s, ""))
	for _, re := range preambles {
		if loc := re.FindStringIndex(s); loc != nil {
			s = strings.TrimSpace(s[loc[1]:])
			break
		}
	}
	return s
}

// Validate strips raw and rejects it when nothing is left ([ReasonEmpty]) or when what is left looks like a model
// error ([ReasonModelError]); otherwise [Result.Cleaned] is the text to post.
func Validate(raw string) Result {
	s := StripArtifacts(raw)
	switch {
	case s == "":
		return Result{Reason: ReasonEmpty}
	case LooksLikeModelError(s):
		return Result{Reason: ReasonModelError}
	}
	return Result{OK: true, Cleaned: s}
}
