// The rich-text editor for a draft's paragraphs and notes: django-prose-editor's ProseMirror
// (Tiptap) bundle, started here rather than by its own preset, because the preset needs an inline
// import map and lets Tiptap add a <style> element, both refused by our Content-Security-Policy.
// The editor offers exactly what agreements/sanitise.py keeps.
import {
  Bold, BulletList, Document, Editor, HardBreak, History, Italic, Link, ListItem, Menu, OrderedList,
  Paragraph, Subscript, Superscript, Table, TableCell, TableHeader, TableRow, Text,
} from "../django_prose_editor/editor.js";

// ProseMirror always keeps one empty paragraph; an empty editor is an empty field.
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function start(textarea) {
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const described = [`${textarea.id}_helptext`, `${textarea.id}-error`].filter((id) => document.getElementById(id));
  const editor = new Editor({
    element: wrapper,
    injectCSS: false, // its rules are in css/editor.css
    extensions: [
      Document, Paragraph, Text, HardBreak, History, Menu, Bold, Italic, Link, BulletList, OrderedList,
      ListItem, Superscript, Subscript, Table, TableRow, TableHeader, TableCell,
    ],
    content: textarea.value,
    editorProps: {
      attributes: {
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": `${textarea.id}-label`,
        ...(described.length ? { "aria-describedby": described.join(" ") } : {}),
      },
    },
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
    },
  });
  // The label points at the hidden textarea; choosing it goes to the editor instead.
  document.getElementById(`${textarea.id}-label`)?.addEventListener("click", (event) => {
    event.preventDefault();
    editor.commands.focus();
  });
  return editor;
}

const editors = [...document.querySelectorAll("textarea[data-prose-editor]")].map(start);

// A note's reference is inserted where the cursor is in the (first) editor.
for (const button of document.querySelectorAll("[data-insert-reference]")) {
  if (!editors.length) break;
  button.hidden = false;
  button.addEventListener("click", () => {
    editors[0].commands.insertContent(button.dataset.insertReference);
    editors[0].view.focus(); // at once, so the next key goes to the text, not to this button

  });
}
