package check

// MarkdownText makes untrusted text inert in GitHub Markdown, as every text of the check's
// comment is: no HTML, emphasis, links, mentions, table cells or automatic links of its own,
// no secrets and no invisible characters. docket intake writes its comment on an issue with it.
func MarkdownText(s string) string { return escape(s) }
