// Renders CDS Hooks cards the way CDS clients do: indicator colour, summary, sanitized markdown
// detail, source, suggestions (preview the actions, accept -> feedback), links, and dismissal with
// the card's override reasons (-> feedback). Everything but the detail is built as text nodes.
import { renderMarkdown } from './markdown.js';

const INDICATOR_LABELS = { info: 'Info', warning: 'Warning', critical: 'Critical' };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === 'className') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

function showStatus(target, status) {
  const ok = status >= 200 && status < 300;
  target.className = `feedback-status ${ok ? 'feedback-status--ok' : 'feedback-status--error'}`;
  target.textContent = ok ? `Feedback recorded (HTTP ${status})` : `Feedback not recorded (HTTP ${status})`;
}

function isAbsoluteUrl(url) {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function suggestionsBlock(card, handlers, statusEl) {
  const block = el('div', { className: 'card-suggestions' });
  const preview = el('div', { className: 'suggestion-preview', hidden: true });
  const buttons = [];
  for (const suggestion of card.suggestions) {
    const button = el('button', { type: 'button', className: `suggestion${suggestion.isRecommended ? ' suggestion--recommended' : ''}`, 'aria-expanded': 'false' });
    button.append(el('span', { text: suggestion.label }));
    if (suggestion.isRecommended) button.append(el('span', { className: 'tag', text: 'Recommended' }));
    button.addEventListener('click', () => {
      buttons.forEach((b) => b.setAttribute('aria-expanded', 'false'));
      button.setAttribute('aria-expanded', 'true');
      preview.replaceChildren(...suggestionPreview(card, suggestion, handlers, statusEl, () => {
        button.classList.add('suggestion--accepted');
        button.append(el('span', { className: 'tag tag--ok', text: 'Accepted' }));
        if (card.selectionBehavior === 'at-most-one') buttons.forEach((b) => (b.disabled = true));
      }));
      preview.hidden = false;
    });
    buttons.push(button);
  }
  block.append(el('div', { className: 'suggestion-buttons' }, ...buttons), preview);
  return block;
}

function suggestionPreview(card, suggestion, handlers, statusEl, onAccepted) {
  const nodes = [];
  for (const action of suggestion.actions ?? []) {
    nodes.push(el('p', { className: 'action-description' }, el('strong', { text: `${action.type}: ` }), action.description ?? ''));
    if (action.resource) nodes.push(el('pre', { className: 'json', text: JSON.stringify(action.resource, null, 2) }));
    if (action.resourceId) nodes.push(el('p', { className: 'muted', text: `Resource: ${action.resourceId}` }));
  }
  if (nodes.length === 0) nodes.push(el('p', { className: 'muted', text: 'This suggestion carries no actions.' }));
  if (card.uuid && suggestion.uuid) {
    const accept = el('button', { type: 'button', className: 'btn btn--primary', text: 'Accept suggestion' });
    accept.addEventListener('click', async () => {
      accept.disabled = true;
      const status = await handlers.onAccept(card, suggestion);
      showStatus(statusEl, status);
      if (status >= 200 && status < 300) onAccepted();
      else accept.disabled = false;
    });
    nodes.push(accept);
  }
  return nodes;
}

function overrideControl(card, handlers, statusEl, article) {
  const wrap = el('div', { className: 'override' });
  const toggle = el('button', { type: 'button', className: 'btn btn--quiet', text: 'Dismiss…' });
  const form = el('form', { className: 'override-form', hidden: true });
  const reasons = card.overrideReasons ?? [];
  let select;
  if (reasons.length > 0) {
    select = el('select', { name: 'reason', 'aria-label': 'Reason for dismissing' }, el('option', { value: '', text: 'Choose a reason…' }));
    reasons.forEach((reason, i) => select.append(el('option', { value: String(i), text: reason.display ?? reason.code })));
    form.append(el('label', { className: 'field' }, el('span', { text: 'Reason' }), select));
  }
  const comment = el('input', { type: 'text', name: 'comment', maxlength: '500', placeholder: 'Optional comment' });
  form.append(el('label', { className: 'field' }, el('span', { text: 'Comment' }), comment));
  const submit = el('button', { type: 'submit', className: 'btn btn--danger', text: 'Dismiss card' });
  form.append(submit);
  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const reason = select && select.value !== '' ? reasons[Number(select.value)] : undefined;
    submit.disabled = true;
    const status = await handlers.onOverride(card, reason, comment.value.trim() || undefined);
    showStatus(statusEl, status);
    if (status >= 200 && status < 300) {
      article.classList.add('cds-card--dismissed');
      form.hidden = true;
      toggle.disabled = true;
      toggle.textContent = reason ? `Dismissed: ${reason.display ?? reason.code}` : 'Dismissed';
    } else submit.disabled = false;
  });
  wrap.append(toggle, form);
  return wrap;
}

/**
 * @param {object} card a CDS Hooks card
 * @param {{ onAccept(card, suggestion): Promise<number>, onOverride(card, reason, comment): Promise<number>, onSmartLaunch?(link): void }} handlers
 */
export function renderCard(card, handlers) {
  const indicator = INDICATOR_LABELS[card.indicator] ? card.indicator : 'info';
  const article = el('article', { className: `cds-card cds-card--${indicator}`, 'data-indicator': indicator, 'data-card-uuid': card.uuid });
  const statusEl = el('span', { className: 'feedback-status', role: 'status', 'aria-live': 'polite' });

  article.append(
    el('header', { className: 'card-header' },
      el('span', { className: `indicator indicator--${indicator}`, text: INDICATOR_LABELS[indicator] }),
      el('h3', { className: 'card-summary', text: card.summary })),
  );
  if (card.detail) {
    const detail = el('div', { className: 'card-detail markdown' });
    detail.innerHTML = renderMarkdown(card.detail);
    article.append(detail);
  }
  if (card.suggestions?.length) article.append(suggestionsBlock(card, handlers, statusEl));
  if (card.links?.length) {
    const list = el('ul', { className: 'card-links' });
    for (const link of card.links) {
      if (link.type === 'absolute' && isAbsoluteUrl(link.url)) {
        list.append(el('li', {}, el('a', { href: link.url, target: '_blank', rel: 'noopener noreferrer', className: 'card-link', text: `${link.label} ↗` })));
      } else if (link.type === 'smart' && isAbsoluteUrl(link.url) && handlers.onSmartLaunch) {
        const button = el('button', { type: 'button', className: 'card-link card-link--smart btn btn--quiet', 'data-smart-url': link.url, text: `${link.label} ↗` });
        button.addEventListener('click', () => handlers.onSmartLaunch(link));
        list.append(el('li', {}, button));
      } else {
        list.append(el('li', { className: 'muted', text: `${link.label} (this link cannot be opened here)` }));
      }
    }
    article.append(list);
  }
  const source = card.source?.url && isAbsoluteUrl(card.source.url)
    ? el('a', { href: card.source.url, target: '_blank', rel: 'noopener noreferrer', text: card.source.label })
    : el('span', { text: card.source?.label ?? 'unknown source' });
  const footer = el('footer', { className: 'card-footer' }, el('span', { className: 'card-source' }, 'Source: ', source));
  if (card.uuid) footer.append(overrideControl(card, handlers, statusEl, article));
  footer.append(statusEl);
  article.append(footer);
  return article;
}

export function renderCards(container, cards, handlers, emptyText) {
  container.replaceChildren();
  if (cards.length === 0) {
    container.append(el('p', { className: 'muted empty', text: emptyText }));
    return;
  }
  // Most urgent first, as EHRs list them.
  const rank = { critical: 0, warning: 1, info: 2 };
  for (const card of [...cards].sort((a, b) => (rank[a.indicator] ?? 3) - (rank[b.indicator] ?? 3))) {
    container.append(renderCard(card, handlers));
  }
}
