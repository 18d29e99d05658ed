// Render every Vega-Lite chart on the page from its JSON spec (no inline data fetches).
document.querySelectorAll("[data-vega-spec]").forEach((el) => {
  const spec = JSON.parse(document.getElementById(el.dataset.vegaSpec).textContent);
  vegaEmbed(el, spec, { actions: false, renderer: "svg" }).catch((e) => {
    el.textContent = "The chart could not be drawn; the table below has the same figures.";
  });
});
