//! The document model shared by the renderers: blocks (headings, paragraphs, tables,
//! figures, …) and inline runs, built by `content` and rendered by `html` and `markdown`.

/// A run of inline content. Text is project text or ours; renderers escape all of it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Inline {
    Text(String),
    Strong(String),
    Em(String),
    /// A link from project data: a link only when `safe_url` accepts it, else text.
    Link {
        url: String,
        text: String,
    },
    /// A link to an anchor inside the report (`#id`; plain text in Markdown).
    Internal {
        id: String,
        text: String,
    },
    /// A numbered reference to the source list: "[n]".
    SourceRef(usize),
}

pub(crate) type Inlines = Vec<Inline>;

pub(crate) fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

pub(crate) fn strong(s: impl Into<String>) -> Inline {
    Inline::Strong(s.into())
}

pub(crate) fn em(s: impl Into<String>) -> Inline {
    Inline::Em(s.into())
}

/// How a paragraph is set off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tone {
    Plain,
    /// Small, muted: method notes and reading guides.
    Note,
    /// Boxed: the composite caveat, the hypothetical label.
    Caveat,
    /// Meta line under a title.
    Meta,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<Inlines>>,
    /// Right-aligned (numeric) columns.
    pub numeric: Vec<bool>,
    /// A CSS class hint for widths ("results", "scores", "framework", …).
    pub class: &'static str,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Block {
    Heading {
        level: u8,
        id: Option<String>,
        text: String,
        /// Starts a new page when printed.
        page_break: bool,
    },
    Para(Tone, Inlines),
    /// A list; each item may carry an anchor id.
    List {
        ordered: bool,
        items: Vec<(Option<String>, Inlines)>,
    },
    Table(Table),
    Chart {
        /// File stem when written beside a Markdown file.
        stem: String,
        title: String,
        svg: String,
        caption: String,
    },
    /// The table of contents: (anchor id, title).
    Contents(Vec<(String, String)>),
}
