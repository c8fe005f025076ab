// A search box over each long list of facet values ("Giver country": some 160 countries):
// typing keeps the values whose name holds the text, accents and case aside. Without
// JavaScript the lists read as they are, the longest behind "more".
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().trim();
  }

  document.querySelectorAll("[data-facet-search]").forEach(function (group, index) {
    var heading = group.querySelector("h3");
    var details = group.querySelector("details");
    var items = Array.prototype.slice.call(group.querySelectorAll("li"));
    var label = document.createElement("label");
    var input = document.createElement("input");
    var status = document.createElement("p");
    input.type = "search";
    input.id = "facet-search-" + index;
    input.className = "facet-search";
    input.autocomplete = "off";
    label.htmlFor = input.id;
    label.className = "visually-hidden";
    label.textContent = "Find a " + group.dataset.facetSearch.toLowerCase();
    input.placeholder = "Find a " + group.dataset.facetSearch.toLowerCase();
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    heading.after(label, input, status);

    input.addEventListener("input", function () {
      var query = fold(input.value);
      var shown = 0;
      items.forEach(function (item) {
        var name = fold(item.querySelector("a").textContent);
        var match = !query || name.indexOf(query) !== -1;
        item.hidden = !match;
        if (match) shown += 1;
      });
      if (details && query) details.open = true;
      status.textContent = query ? shown + (shown === 1 ? " value" : " values") + " found" : "";
    });
  });
})();
