/**
 * Every item of every page an SDK paginator (`paginateListTasks` …) yields, in order: the SDK follows the
 * next tokens, this only flattens, so no caller stops after the first page (50 log streams, 100 tasks …).
 */
export async function allItems<Page, Item>(
  pages: AsyncIterable<Page>,
  items: (page: Page) => readonly Item[] | undefined,
): Promise<Item[]> {
  const all: Item[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}
