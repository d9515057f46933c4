//! HTML pages as audit documents: the text of block elements (title, headings, paragraphs,
//! list items, table cells, …) in reading order, numbered 1, 2, 3 … as DESIGN.md asks for
//! HTML locations.
//!
//! Inline elements (links, emphasis, spans) are part of their block's text; a block element
//! nested in another ends the outer block's current text and starts its own. Scripts, styles,
//! templates, SVG and comments are skipped, and so is `<head>` except `<title>`. Character
//! references are decoded (named ones for the Latin-1 range and common punctuation, and all
//! numeric ones).
//!
//! Deliberately not done: attribute text (alt, title, meta descriptions), CSS visibility,
//! forms' values, frames.

use ego_tree::iter::Edge;
use scraper::Node;

use super::document::{Block, BlockKind};

/// Elements whose content is never document text.
const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object", "canvas"];

/// Elements that start a block of their own.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "caption",
    "dt",
    "dd",
    "dl",
    "ul",
    "ol",
    "table",
    "tr",
    "tbody",
    "thead",
    "tfoot",
    "form",
    "fieldset",
    "legend",
    "label",
    "button",
    "option",
    "body",
    "html",
    "br",
    "hr",
    "details",
    "summary",
];

/// Splits an HTML page into blocks. Never fails: the page is read as a browser reads it, with
/// an HTML5 tree builder (html5ever, through `scraper`), so unclosed `<p>` and `<li>`, implied
/// end tags, misnested inline elements and deep nesting keep every paragraph a browser shows.
/// The tree is walked without recursion, so nesting depth has no limit.
pub fn parse_html(html: &str) -> Vec<Block> {
    read(html, false).blocks
}

/// The content of a web page: its blocks without the site's furniture, and how much of that
/// text is link text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageContent {
    /// The blocks of the content, numbered 1, 2, 3 … (the title first).
    pub blocks: Vec<Block>,
    /// Characters of the content's text (the title excluded).
    pub chars: usize,
    /// Characters of that text inside links.
    pub link_chars: usize,
    /// Links in the content.
    pub links: usize,
}

impl PageContent {
    /// True for a page that is mostly links: an index, a menu, a language chooser. Its links
    /// lead to the documents; it is not one. Five links or more whose text is most of the
    /// page's, or links with hardly any other text around them.
    pub fn is_listing(&self) -> bool {
        let own = self.chars.saturating_sub(self.link_chars);
        self.links > 0 && self.link_chars * 10 >= self.chars * 6 && (self.links >= 5 || own < 80)
    }
}

/// Reads a web page as `parse_html` does, but only its content: inside `<main>` (or
/// `role="main"`) when the page marks it, and without navigation, asides and the page's
/// own header and footer (those outside an `<article>`), nor elements whose `id` or `class`
/// names a menu, breadcrumb, cookie notice, language list, sidebar or pager: the text a
/// site repeats on every page, which is not what its language versions are compared on.
///
/// ```
/// use termbridge::formats::html::parse_page_content;
/// let html = "<title>Njoftim</title><header><a href=/sr/>Српски</a></header><nav><a href=/>Ballina</a></nav>\
///     <article><header><h1>Mbledhja</h1></header><p>Mbledhja mbahet më 5 mars.</p></article><footer>© Komuna</footer>";
/// let content = parse_page_content(html);
/// let texts: Vec<&str> = content.blocks.iter().map(|block| block.text.as_str()).collect();
/// assert_eq!(texts, ["Njoftim", "Mbledhja", "Mbledhja mbahet më 5 mars."]);
/// assert!(!content.is_listing());
/// ```
pub fn parse_page_content(html: &str) -> PageContent {
    read(html, true)
}

/// Elements that are a site's furniture rather than a page's content.
const FURNITURE: &[&str] = &["nav", "aside", "form", "dialog"];

/// `id` and `class` words that name furniture.
const FURNITURE_NAMES: &[&str] = &[
    "menu",
    "navbar",
    "nav",
    "navigation",
    "breadcrumb",
    "breadcrumbs",
    "cookie",
    "cookies",
    "sidebar",
    "languages",
    "lang",
    "language",
    "pagination",
    "pager",
    "share",
    "social",
];

/// True when an element of a page is furniture: see [`parse_page_content`]. `in_article`:
/// whether it is inside an `<article>` or `<main>`, where a header is the article's own.
/// Names in `id` and `class` are a hint only: they never remove the page's body, main part
/// or article (themes write `class="lang-sq"` on those), nor an element holding the page's
/// `<h1>`.
fn is_furniture(node: ego_tree::NodeRef<'_, Node>, element: &scraper::node::Element, in_article: bool) -> bool {
    let name = element.name();
    if FURNITURE.contains(&name) || (!in_article && matches!(name, "header" | "footer")) {
        return true;
    }
    if matches!(element.attr("role"), Some("navigation" | "banner" | "contentinfo" | "search" | "complementary")) {
        return true;
    }
    let named = |value: Option<&str>| {
        value.is_some_and(|value| {
            value.split(|c: char| c.is_whitespace() || c == '-' || c == '_').any(|word| FURNITURE_NAMES.contains(&word.to_ascii_lowercase().as_str()))
        })
    };
    (named(element.attr("id")) || named(element.attr("class")))
        && !matches!(name, "html" | "body" | "main" | "article")
        && !node.descendants().any(|inner| inner.value().as_element().is_some_and(|inner| inner.name() == "h1"))
}

fn read(html: &str, content_only: bool) -> PageContent {
    let document = scraper::Html::parse_document(html);
    let mut walker = Walker { blocks: Vec::new(), buffer: String::new(), kind: BlockKind::Paragraph };
    // <title> lives in <head>, which is otherwise skipped.
    let root = document.tree.root();
    if let Some(title) = root.descendants().find(|node| node.value().as_element().is_some_and(|element| element.name() == "title")) {
        for text in title.descendants().filter_map(|node| node.value().as_text()) {
            walker.buffer.push_str(text);
        }
        walker.flush_as(BlockKind::Heading(0));
    }
    let start = if content_only {
        root.descendants()
            .find(|node| node.value().as_element().is_some_and(|element| element.name() == "main" || element.attr("role") == Some("main")))
            .unwrap_or(root)
    } else {
        root
    };
    let (mut chars, mut link_chars, mut links) = (0, 0, 0);
    // Open <a> elements and <article>/<main> elements around the walk.
    let (mut in_link, mut in_article) = (0usize, usize::from(start.id() != root.id()));
    // The kinds of the enclosing blocks, to go back to when a nested block closes.
    let mut outer: Vec<BlockKind> = Vec::new();
    // The skipped element being walked through, if any.
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in start.traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => match node.value() {
                Node::Text(text) => {
                    walker.buffer.push_str(text);
                    let count = text.chars().filter(|c| !c.is_whitespace()).count();
                    chars += count;
                    if in_link > 0 {
                        link_chars += count;
                    }
                }
                Node::Element(element) => {
                    let name = element.name();
                    if SKIPPED.contains(&name) || (content_only && is_furniture(node, element, in_article > 0)) {
                        skipping = Some(node.id());
                    } else {
                        match name {
                            "a" => {
                                in_link += 1;
                                links += 1;
                            }
                            "article" | "main" => in_article += 1,
                            _ => {}
                        }
                        if let Some(kind) = block_kind(name) {
                            walker.flush();
                            outer.push(walker.kind);
                            walker.kind = kind;
                        }
                    }
                }
                _ => {}
            },
            Edge::Open(_) => {}
            Edge::Close(node) => {
                if let Some(skipped) = skipping {
                    if skipped == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if let Some(element) = node.value().as_element() {
                    match element.name() {
                        "a" => in_link = in_link.saturating_sub(1),
                        "article" | "main" => in_article = in_article.saturating_sub(1),
                        _ => {}
                    }
                    if block_kind(element.name()).is_some() {
                        walker.flush();
                        walker.kind = outer.pop().unwrap_or(BlockKind::Paragraph);
                    }
                }
            }
        }
    }
    walker.flush();
    for (idx, block) in walker.blocks.iter_mut().enumerate() {
        block.line = idx + 1;
    }
    PageContent { blocks: walker.blocks, chars, link_chars, links }
}

/// The kind of block an element starts, or `None` for inline elements.
fn block_kind(name: &str) -> Option<BlockKind> {
    match name {
        "h1" => Some(BlockKind::Heading(1)),
        "h2" => Some(BlockKind::Heading(2)),
        "h3" => Some(BlockKind::Heading(3)),
        "h4" => Some(BlockKind::Heading(4)),
        "h5" => Some(BlockKind::Heading(5)),
        "h6" => Some(BlockKind::Heading(6)),
        "li" => Some(BlockKind::ListItem),
        "td" | "th" => Some(BlockKind::TableCell),
        other if BLOCKS.contains(&other) => Some(BlockKind::Paragraph),
        _ => None,
    }
}

struct Walker {
    blocks: Vec<Block>,
    buffer: String,
    kind: BlockKind,
}

impl Walker {
    fn flush(&mut self) {
        self.flush_as(self.kind);
    }

    fn flush_as(&mut self, kind: BlockKind) {
        let text = self.buffer.split_whitespace().collect::<Vec<_>>().join(" ");
        self.buffer.clear();
        let text = tidy_punctuation(&text);
        if !text.is_empty() {
            self.blocks.push(Block { kind, text, line: 0, column: 1, unit: None });
        }
    }
}

/// Inline elements leave a space before punctuation ("<b>Neni 5</b> ."); take it out.
fn tidy_punctuation(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' && chars.peek().is_some_and(|next| matches!(next, '.' | ',' | ';' | ':' | '!' | '?' | ')')) {
            continue;
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<(BlockKind, String, usize)> {
        parse_html(html).into_iter().map(|block| (block.kind, block.text, block.line)).collect()
    }

    #[test]
    fn blocks_in_reading_order() {
        let html = "<html><head><title>Komuna e Junikut</title><style>p{}</style><script>var a = '<p>no</p>';</script></head>\
            <body><h1>Vendim</h1><p>Neni <b>5</b>: Komuna &amp; banorët.</p><ul><li>një</li><li>dy <a href='x'>lidhje</a></li></ul>\
            <table><tr><td>a</td><td>b&#x20AC;</td></tr></table><div>jashtë <p>brenda</p> pas</div><!-- koment --></body></html>";
        assert_eq!(
            texts(html),
            vec![
                (BlockKind::Heading(0), "Komuna e Junikut".to_string(), 1),
                (BlockKind::Heading(1), "Vendim".to_string(), 2),
                (BlockKind::Paragraph, "Neni 5: Komuna & banorët.".to_string(), 3),
                (BlockKind::ListItem, "një".to_string(), 4),
                (BlockKind::ListItem, "dy lidhje".to_string(), 5),
                (BlockKind::TableCell, "a".to_string(), 6),
                (BlockKind::TableCell, "b€".to_string(), 7),
                (BlockKind::Paragraph, "jashtë".to_string(), 8),
                (BlockKind::Paragraph, "brenda".to_string(), 9),
                (BlockKind::Paragraph, "pas".to_string(), 10),
            ]
        );
    }

    #[test]
    fn entities() {
        assert_eq!(texts("<p>a &lt;b&gt; &#269;&#x10D; &unknown; & x</p>")[0].1, "a <b> čč &unknown; & x");
        assert_eq!(texts("<p>Fush&euml; Kosov&euml; &ndash; &Ccedil;</p>")[0].1, "Fushë Kosovë – Ç");
    }

    #[test]
    fn broken_html_is_read_leniently() {
        assert_eq!(texts("<p>hapur <b>pa mbyllur"), vec![(BlockKind::Paragraph, "hapur pa mbyllur".to_string(), 1)]);
        // Misnested inline elements are repaired as a browser repairs them.
        assert_eq!(texts("<p>një <b>dy <i>tre</b> katër</i></p>")[0].1, "një dy tre katër");
        // Inline elements do not split a word.
        assert_eq!(texts("<p>Pri<b>š</b>tina</p>")[0].1, "Priština");
    }

    #[test]
    fn unclosed_paragraphs_and_items_end_where_a_browser_ends_them() {
        let html: String = (1..=400).map(|n| format!("<p>Paragrafi {n}\n")).collect();
        let blocks = parse_html(&format!("<html><body>{html}</body></html>"));
        assert_eq!(blocks.len(), 400);
        assert_eq!(blocks[399].text, "Paragrafi 400");
        let list = texts("<ul><li>një<li>dy<li>tre</ul><p>pas");
        assert_eq!(list.iter().map(|(_, text, _)| text.as_str()).collect::<Vec<_>>(), ["një", "dy", "tre", "pas"]);
    }

    #[test]
    fn deep_nesting_keeps_its_text() {
        let depth = 5_000;
        let html = format!("{}<p>thellë brenda</p>{}", "<div><span>".repeat(depth), "</span></div>".repeat(depth));
        assert_eq!(parse_html(&html).iter().map(|block| block.text.as_str()).collect::<Vec<_>>(), ["thellë brenda"]);
    }

    fn content(html: &str) -> Vec<String> {
        parse_page_content(html).blocks.into_iter().map(|block| block.text).collect()
    }

    #[test]
    fn page_content_leaves_out_the_site_furniture() {
        let html = "<html><head><title>Njoftim 4</title></head><body>\
            <div id=top-menu><a href=/>Ballina</a></div><ul class='lang-switcher'><li><a href=/sr/>Српски</a></li></ul>\
            <header><img alt=logo><p>Komuna e Gjilanit</p></header>\
            <div class=content><h1>Mbledhja e Kuvendit</h1><p>Mbledhja mbahet më 5 mars 2025.</p></div>\
            <aside><p>Lajmet e fundit</p></aside><footer><p>© 2025 Komuna e Gjilanit</p></footer>\
            <div role=contentinfo>Adresa</div><form><label>Kërko</label></form></body></html>";
        assert_eq!(content(html), ["Njoftim 4", "Mbledhja e Kuvendit", "Mbledhja mbahet më 5 mars 2025."]);
        // The whole page when read as a document.
        assert_eq!(parse_html(html).len(), 10);
    }

    #[test]
    fn names_in_classes_never_remove_the_content() {
        let html = "<title>T</title><body class='lang-sq home'><div class='lang-content'><h1>Vendim</h1><p>Teksti</p></div><div class=lang><a href=/sr/>SR</a></div></body>";
        assert_eq!(content(html), ["T", "Vendim", "Teksti"]);
    }

    #[test]
    fn page_content_is_the_main_element_when_there_is_one() {
        let html = "<title>T</title><div>Menyja</div><main><h1>Vendim</h1><p>Teksti</p><footer><p>Publikuar më 5 mars</p></footer></main><div>Fundi</div>";
        assert_eq!(content(html), ["T", "Vendim", "Teksti", "Publikuar më 5 mars"]);
    }

    #[test]
    fn a_page_of_links_is_a_listing() {
        let index: String = (1..=40).map(|n| format!("<li><a href=/sq/{n}>Njoftim {n}</a></li>")).collect();
        assert!(parse_page_content(&format!("<title>Njoftime</title><h1>Njoftime (1)</h1><ul>{index}</ul>")).is_listing());
        let chooser = "<title>Komuna</title><a href=/sq/>Shqip</a> <a href=/sr/>Српски</a> <a href=/en/>English</a>";
        assert!(parse_page_content(chooser).is_listing());
        let notice = "<title>Njoftim</title><p>Komuna njofton qytetarët se mbledhja e Kuvendit mbahet më 5 mars, si në <a href=/x>njoftimin</a> e kaluar.</p>";
        assert!(!parse_page_content(notice).is_listing());
        let short = "<title>Vendim</title><p>Vendimi për buxhetin: <a href=/v.pdf>shkarko</a></p>";
        assert!(!parse_page_content(short).is_listing());
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_text(html in "\\PC{0,300}") {
            let _ = parse_html(&html);
        }

        #[test]
        fn never_panics_on_tag_soup(
            html in "(<(p|div|h1|li|td|title|head|script|style|a|b|br|svg)( [a-z]{1,6}(=\"[^\"]{0,6}\")?)?/?>|</(p|div|h1|li|td|title|head|script|a|b)>|<!--|-->|<!DOCTYPE html>|&[a-zA-Z#0-9]{0,8};?|[a-zëç .,<>&]{0,8}){0,60}"
        ) {
            let blocks = parse_html(&html);
            for (idx, block) in blocks.iter().enumerate() {
                proptest::prop_assert_eq!(block.line, idx + 1);
                proptest::prop_assert!(!block.text.is_empty());
            }
        }
    }
}
