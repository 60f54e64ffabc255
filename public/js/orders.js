// The order panel: tick draft orders as in an EHR's order entry; every change fires order-select
// with `selections` (the orders just chosen) and `draftOrders` (all orders being drafted).

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'className') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

/** The draft resource of a catalog item for one patient (the catalog leaves subject open). */
export function draftResource(item, patientId, now = new Date()) {
  return { ...structuredClone(item.resource), subject: { reference: `Patient/${patientId}` }, authoredOn: now.toISOString() };
}

/**
 * order-select context fields: `draftOrders` holds every draft (without Bundle.type, as the reference
 * sandbox client sends it); `selections` names the ones just chosen.
 */
export function orderSelectContext(items, draftKeys, selectedKeys, patientId, now = new Date()) {
  const drafts = items.filter((item) => draftKeys.includes(item.key)).map((item) => ({ key: item.key, resource: draftResource(item, patientId, now) }));
  return {
    selections: drafts.filter((d) => selectedKeys.includes(d.key)).map(({ resource }) => `${resource.resourceType}/${resource.id}`),
    draftOrders: { resourceType: 'Bundle', entry: drafts.map(({ resource }) => ({ resource })) },
  };
}

export class OrderPanel {
  /**
   * @param {HTMLElement} container
   * @param {object[]} catalog items from /demo/api/order-catalog
   * @param {(keys: { all: string[], added: string[] }) => void} onChange
   */
  constructor(container, catalog, onChange) {
    this.catalog = catalog;
    this.onChange = onChange;
    this.checked = [];
    container.replaceChildren();
    const groups = [
      ['lab', 'Laboratory'],
      ['medication', 'Medications'],
    ];
    for (const [kind, title] of groups) {
      const fieldset = el('fieldset', { className: 'order-group' }, el('legend', { text: title }));
      for (const item of catalog.filter((i) => i.kind === kind)) {
        const box = el('input', { type: 'checkbox', value: item.key, 'data-order': item.key });
        box.addEventListener('change', () => this.#toggle(item.key, box.checked));
        fieldset.append(el('label', { className: 'order-item' }, box, el('span', { text: item.label })));
      }
      container.append(fieldset);
    }
    this.boxes = [...container.querySelectorAll('input[type=checkbox]')];
  }

  #toggle(key, on) {
    this.checked = on ? [...this.checked, key] : this.checked.filter((k) => k !== key);
    this.onChange({ all: [...this.checked], added: on ? [key] : [] });
  }

  reset() {
    this.checked = [];
    for (const box of this.boxes) box.checked = false;
  }
}
