//! Input widgets the dialogs and the browser share: each holds its state, handles its keys and
//! draws itself, measuring text by display width (wide characters count double, combining
//! marks and joined emoji count once).

pub mod line_input;
pub mod percent;
pub mod text_area;

pub use line_input::LineInput;
pub use percent::PercentField;
pub use text_area::TextArea;
