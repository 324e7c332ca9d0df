// Small progressive enhancements; the pages work without JavaScript.
document.documentElement.classList.add("js");
