// Card detail is markdown from the service: parse it with marked, then sanitize with DOMPurify before
// it touches the DOM (a CDS client must not trust HTML inside a service's markdown).
import { marked } from '../vendor/marked.esm.js';
import DOMPurify from '../vendor/purify.es.mjs';

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.getAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function renderMarkdown(markdown) {
  return DOMPurify.sanitize(marked.parse(markdown, { gfm: true, async: false }), {
    // No images: a remote image in a card would call out of the EHR unasked.
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'img'],
  });
}
