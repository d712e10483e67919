package outputcheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/colony-go/colony/outputcheck"
	"github.com/stretchr/testify/assert"
)

func TestLooksLikeModelError(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		// One or more cases per pattern family.
		{"Error generating text", true},
		{"error generating response: upstream", true},
		{"ERROR GENERATING CONTENT", true},
		{"Error generating ideas", true}, // caught by the generic "error " family
		{"An error occurred while calling the model", true},
		{"error occurred", true},
		{"I apologize, but I cannot help", true},
		{"I apologize I cannot", true},
		{"I apologize for the delay in replying", false},
		{"I'm sorry, but I can't do that", true},
		{"Im sorry I cannot", true},
		{"I’m sorry, but no", false}, // typographic apostrophe
		{"Sorry, an internal error happened", true},
		{"internal error", true},
		{"Failed to generate a reply", true},
		{"Could not generate output", true},
		{"Couldnt generate", true},
		{"couldn't generate", true},
		{"Unable to connect to the provider", true},
		{"unable to reach host", true},
		{"Unable to generate", true},
		{"unable to respond", true},
		{"Unable to sleep lately, I read more", false},
		{"The model is overloaded", true},
		{"model unavailable", true},
		{"model is down", true},
		{"The model offline", true},
		{"Please try again later.", true},
		{"try again later", true},
		{"Request failed with status 500", true},
		{"request timed out", true},
		{"Request timeout", true},
		{"Rate limit exceeded", true},
		{"rate limited exceeded", true},
		{"Service unavailable", true},
		{"Service temporarily unavailable", true},
		{"[ERROR] provider down", true},
		{"Error: boom", true},
		{"error: x", true},
		{"[error]: x", true},
		{"Errors happen to everyone", false},
		{"Timeout", true},
		{"Timeouts are a bad default", true}, // anchored prefix, no word boundary (parity)
		{"  timeout  ", true},
		{"", false},
		{"   ", false},
		{"Error: " + strings.Repeat("x", 600), false}, // length guard
		{"Error: " + strings.Repeat("é", 493), true},  // 500 runes, counted as runes not bytes
		{"Hello world", false},
		{"The error occurred in my code", false}, // not at the start
	} {
		assert.Equal(t, tc.want, outputcheck.LooksLikeModelError(tc.text), "%q", tc.text)
	}
}

func TestStripArtifacts(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Template tokens, everywhere.
		{"<s>Hello</s>", "Hello"},
		{"<S>Hi</S> there", "Hi there"},
		{"[INST]Hi[/INST]", "Hi"},
		{"[sys]a[/SYS] [SYSTEM]b[/SYSTEM] [USER]c[/USER] [ASSISTANT]d[/ASSISTANT]", "a b c d"},
		{"<|im_start|>Hi there<|im_end|>", "Hi there"},
		{"<|eot_id|>x<|a|b|>", "x<|a|b|>"},
		{"<|im_start|>assistant\nHi there<|im_end|>", "assistant\nHi there"}, // newline is not a role separator
		// One role prefix.
		{"Assistant: Hello", "Hello"},
		{"AI-generated art is fun", "generated art is fun"}, // the role-prefix quirk, as colony-sdk
		{"agent > go", "go"},
		{"Bot:hi", "hi"},
		{"model - hi", "hi"},
		{"Claude: hi", "hi"},
		{"gemma: hi", "hi"},
		{"LLAMA: hi", "hi"},
		{"Assistant: Assistant: twice", "Assistant: twice"},
		{"Assistants are great", "Assistants are great"},
		// One preamble.
		{"Sure, here's the post: Hello!", "Hello!"},
		{"Certainly! Here is the summary. The data shows growth.", "The data shows growth."},
		{"Of course. Let me explain: it works", "it works"},
		{"Absolutely, I'll write it: Done", "Done"},
		{"okay ill do it: x", "x"},
		{"Alright here we go. Go", "Go"},
		{"Right, heres one: y", "y"},
		{"OK I will do it.", ""},
		{"Here's my answer: 42", "42"},
		{"heres the plan. step one", "step one"},
		{"Here is your text: t", "t"},
		{"Here's a thought: z", "z"},
		{"Response: text", "text"},
		{"output : text", "text"},
		{"Reply:text", "text"},
		{"Answer: 4", "4"},
		{"Result: ok", "ok"},
		{"Post: title", "title"},
		{"Comment: nice", "nice"},
		{"Response: Reply: only one", "Reply: only one"},
		{"Sure thing, friend", "Sure thing, friend"},
		// All steps together.
		{"<s>Assistant: Sure, here's the post: Hello!</s>", "Hello!"},
		{"  \t plain text \n", "plain text"},
		{"", ""},
	} {
		assert.Equal(t, tc.want, outputcheck.StripArtifacts(tc.in), "%q", tc.in)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want outputcheck.Result
	}{
		{"<s>Assistant: Sure, here's the post: Hello!</s>", outputcheck.Result{OK: true, Cleaned: "Hello!"}},
		{"Assistant: Error generating text", outputcheck.Result{Reason: outputcheck.ReasonModelError}},
		{"OK I will do it.", outputcheck.Result{Reason: outputcheck.ReasonEmpty}},
		{"AI-generated art is fun", outputcheck.Result{OK: true, Cleaned: "generated art is fun"}},
		{"<|im_start|>assistant\nHi there<|im_end|>", outputcheck.Result{OK: true, Cleaned: "assistant\nHi there"}},
		{"Response: Timeout is a bad default", outputcheck.Result{Reason: outputcheck.ReasonModelError}},
		{"Certainly! Here is the summary. The data shows growth.", outputcheck.Result{OK: true, Cleaned: "The data shows growth."}},
		{"I’m sorry, but no", outputcheck.Result{OK: true, Cleaned: "I’m sorry, but no"}},
		{"Error: " + strings.Repeat("x", 600), outputcheck.Result{OK: true, Cleaned: "Error: " + strings.Repeat("x", 600)}},
		{"", outputcheck.Result{Reason: outputcheck.ReasonEmpty}},
		{"<s></s> [INST] [/INST]", outputcheck.Result{Reason: outputcheck.ReasonEmpty}},
		{"[ERROR] upstream 502", outputcheck.Result{Reason: outputcheck.ReasonModelError}},
	} {
		assert.Equal(t, tc.want, outputcheck.Validate(tc.in), "%q", tc.in)
	}
}

func ExampleValidate() {
	res := outputcheck.Validate("<s>Assistant: Sure, here's the post: Lobsters never stop growing.</s>")
	fmt.Println(res.OK, res.Cleaned)
	res = outputcheck.Validate("I'm sorry, but I can't help with that.")
	fmt.Println(res.OK, res.Reason)
	// Output:
	// true Lobsters never stop growing.
	// false model_error
}
