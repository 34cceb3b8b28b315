// The console's browser side: the live task stream (server-sent events) and the typeahead
// suggestions of the operator forms. Everything else is server-rendered HTML (and htmx).
(() => {
  function liveTables() {
    for (const table of document.querySelectorAll('[data-stream]')) {
      const body = table.querySelector('tbody');
      const max = Number(table.getAttribute('data-max-rows')) || 200;
      const status = document.getElementById('live-status');
      const source = new EventSource(table.getAttribute('data-stream'));
      const setStatus = (text, cls) => {
        if (!status) return;
        status.textContent = text;
        status.className = `live ${cls}`;
      };
      source.onopen = () => setStatus('live', 'on');
      source.onerror = () => setStatus('reconnecting…', 'off');
      source.addEventListener('task', (event) => {
        const template = document.createElement('template');
        template.innerHTML = event.data.trim();
        const row = template.content.firstElementChild;
        if (!row?.id) return;
        const existing = document.getElementById(row.id);
        if (existing && body.contains(existing)) {
          existing.replaceWith(row);
        } else {
          body.prepend(row);
        }
        row.classList.add('fresh');
        setTimeout(() => row.classList.remove('fresh'), 1500);
        while (body.rows.length > max) body.deleteRow(body.rows.length - 1);
      });
    }
  }

  function typeaheads() {
    for (const input of document.querySelectorAll('input[data-typeahead]')) {
      const list = document.getElementById(input.getAttribute('list'));
      const form = input.form;
      let timer;
      let lastQuery = '';
      const fetchSuggestions = async () => {
        const params = new URLSearchParams();
        const term = input.getAttribute('data-typeahead-term');
        if (term) params.set(term, input.value.replace(/,\d*$/, ''));
        const extra = JSON.parse(input.getAttribute('data-typeahead-params') || '{}');
        for (const [name, field] of Object.entries(extra)) {
          params.set(name, form?.elements[field]?.value ?? '');
        }
        const query = params.toString();
        if (query === lastQuery) return;
        lastQuery = query;
        try {
          const response = await fetch(`${input.getAttribute('data-typeahead')}?${query}`, {
            headers: { accept: 'application/json' },
          });
          if (!response.ok) return;
          const items = await response.json();
          list.replaceChildren(
            ...items.map((item) => {
              const option = document.createElement('option');
              if (typeof item === 'string') {
                option.value = item;
              } else {
                option.value = item.graceid;
                const snr = typeof item.snr === 'number' ? ` SNR ${item.snr.toFixed(1)}` : '';
                option.label = `${item.graceid} ${item.pipeline} ${item.search ?? ''}${snr}`;
              }
              return option;
            }),
          );
        } catch {
          // suggestions are a convenience: typing still works
        }
      };
      const schedule = () => {
        clearTimeout(timer);
        timer = setTimeout(fetchSuggestions, 250);
      };
      input.addEventListener('input', schedule);
      input.addEventListener('focus', schedule);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    liveTables();
    typeaheads();
  });
})();
