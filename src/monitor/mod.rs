//! Monitoring of institutions' websites: crawling their own hosts politely (robots.txt, a
//! delay and a concurrency bound per host, size and redirect caps), or reading a mirror
//! directory or a WARC file; reading each page's text and language; pairing the language
//! versions of one document. The records it produces are `model::monitor`'s; the store keeps
//! them, and `usecase::monitor` runs a whole monitoring run and audits every pair.
//!
//! It sits beside `proofread` and `patch` (it reads documents through `formats` and judges
//! languages through `text`), below `workspace`, and uses none of its own layer.

pub mod crawl;
pub mod evidence;
mod fetch;
mod guard;
mod links;
mod offline;
pub mod page;
pub mod pair;
pub mod preset;
pub mod report;
mod robots;
mod scope;
mod sitemap;
mod tls;
mod urls;
