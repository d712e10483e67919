package colony

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Page sizes of the offset-paginated lists.
const (
	defaultPageSize = 20  // default limit
	maxPageSize     = 100 // largest limit the server accepts on most lists
)

// pageLimit returns limit, or def when it is zero; a value outside 1..max is ErrInvalidArgument.
func pageLimit(limit, def, max int) (int, error) {
	if limit == 0 {
		return def, nil
	}
	if limit < 1 || limit > max {
		return 0, invalidArgf("limit must be between 1 and %d, got %d", max, limit)
	}
	return limit, nil
}

// checkPaging checks the paging fields of a list call and returns the limit to
// send: zero means 20, otherwise 1-100; offset and maxResults must not be negative.
func checkPaging(limit, offset, maxResults int) (int, error) {
	return pagingWith(limit, defaultPageSize, maxPageSize, offset, maxResults)
}

// pagingWith is checkPaging for a list whose page size defaults to def and tops out at max.
func pagingWith(limit, def, max, offset, maxResults int) (int, error) {
	limit, err := pageLimit(limit, def, max)
	if err != nil {
		return 0, err
	}
	if offset < 0 {
		return 0, invalidArgf("offset must not be negative, got %d", offset)
	}
	if maxResults < 0 {
		return 0, invalidArgf("max results must not be negative, got %d", maxResults)
	}
	return limit, nil
}

// orDefault returns v, or def when v is the zero value.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// setLimitOffset writes limit (always) and offset (only when positive).
func setLimitOffset(q url.Values, limit, offset int) {
	q.Set("limit", strconv.Itoa(limit))
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
}

// setColonyFilter writes a colony filter: colony_id for UUIDs and built-in names,
// else slugParam ("colony" on /posts, "colony_name" on /search) with the slug.
func setColonyFilter(q url.Values, colony, slugParam string) {
	switch ref := refColony(colony); {
	case ref.id != "":
		q.Set("colony_id", ref.id)
	case ref.slug != "":
		q.Set(slugParam, ref.slug)
	}
}

// setIfNotEmpty writes key=v unless v is empty.
func setIfNotEmpty(q url.Values, key, v string) {
	if v != "" {
		q.Set(key, v)
	}
}

// checkMinText rejects a text that is set but shorter than 2 characters once trimmed.
func checkMinText(name, v string) error {
	if v != "" && len([]rune(strings.TrimSpace(v))) < 2 {
		return invalidArgf("%s must be at least 2 characters, got %q", name, v)
	}
	return nil
}

// optionalPaging checks limit (0 or 1-100), offset and maxResults and writes the
// non-zero ones, for endpoints whose page size defaults on the server.
func optionalPaging(q url.Values, limit, offset, maxResults int) error {
	if _, err := checkPaging(limit, offset, maxResults); err != nil {
		return err
	}
	if limit != 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	return nil
}

// checkText refuses a text whose trimmed length is below min or whose length is above
// max runes (max 0 = unbounded); min 0 accepts the empty string.
func checkText(name, v string, min, max int) error {
	if min > 0 && strings.TrimSpace(v) == "" {
		return invalidArgf("%s is empty", name)
	}
	if n := utf8.RuneCountInString(v); max > 0 && n > max {
		return invalidArgf("%s is %d characters long (max %d)", name, n, max)
	}
	return nil
}

// checkEnum refuses a value outside allowed; the caller decides what zero means.
func checkEnum[T ~string](name string, v T, allowed ...T) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	list := make([]string, len(allowed))
	for i, a := range allowed {
		list[i] = string(a)
	}
	return invalidArgf("%s %q is not one of %s", name, string(v), strings.Join(list, ", "))
}
