// Phone forms: when a page comes back with problems, their summary gets focus, so a screen
// reader reads it first and the next Tab reaches the first link to a field to fix.
const problem = document.querySelector(".problem");
if (problem) problem.focus();
