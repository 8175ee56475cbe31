/**
 * A table that becomes a list of cards on phone-sized screens (below Ant Design's `md`, 768 px): one card per
 * row, each column a "label: value" line, the first column as the card's heading. Same props as antd's Table,
 * so a page swaps `<Table` for `<ResponsiveTable` and keeps its columns, renderers, row clicks and row classes.
 */
import { Empty, Grid, Pagination, Spin, Table, type TableProps } from 'antd';
import type { ColumnGroupType, ColumnType } from 'antd/es/table';
import { type HTMLAttributes, isValidElement, type Key, type ReactNode, useState } from 'react';

type Col<T> = ColumnType<T> | ColumnGroupType<T>;

/** Leaf columns (groups flattened), in order, without hidden ones. */
function leaves<T>(cols: readonly Col<T>[] | undefined): ColumnType<T>[] {
  const out: ColumnType<T>[] = [];
  for (const c of cols ?? []) {
    if ((c as { hidden?: boolean }).hidden) continue;
    if ('children' in c && c.children) out.push(...leaves(c.children as Col<T>[]));
    else out.push(c as ColumnType<T>);
  }
  return out;
}

function valueAt(record: object, path: ColumnType<object>['dataIndex']): unknown {
  if (path === undefined || path === null) return undefined;
  const parts = Array.isArray(path) ? path : [path];
  let cur: unknown = record;
  for (const p of parts) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string | number, unknown>)[p as string | number];
  }
  return cur;
}

function cell<T extends object>(c: ColumnType<T>, record: T, index: number): ReactNode {
  const v = valueAt(record, c.dataIndex as ColumnType<object>['dataIndex']);
  if (!c.render) return v === null || v === undefined ? null : (v as ReactNode);
  const r = c.render(v, record, index) as unknown;
  // a renderer may answer { children, props } (cell spans): keep the content
  if (r && typeof r === 'object' && !isValidElement(r) && 'children' in (r as object))
    return (r as { children: ReactNode }).children;
  return r as ReactNode;
}

function titleOf<T>(c: ColumnType<T>): ReactNode {
  return typeof c.title === 'function' ? c.title({}) : (c.title as ReactNode);
}

function keyOf<T extends object>(rowKey: TableProps<T>['rowKey'], record: T, index: number): Key {
  if (typeof rowKey === 'function') return rowKey(record, index) as Key;
  const k = valueAt(record, (rowKey ?? 'key') as string);
  return (k as Key) ?? index;
}

/** Is the screen phone-sized (below 768 px)? Unknown on the first render counts as wide. */
export function useNarrow(): boolean {
  const screens = Grid.useBreakpoint();
  return screens.md === false;
}

export function ResponsiveTable<T extends object>(props: TableProps<T>) {
  const narrow = useNarrow();
  const [page, setPage] = useState(1);
  if (!narrow) return <Table<T> {...props} />;

  const { dataSource, columns, rowKey, onRow, rowClassName, pagination, loading, locale } = props;
  const rows = [...(dataSource ?? [])];
  const cols = leaves(columns as Col<T>[]);
  const pg = pagination || undefined;
  const pageSize = pagination === false ? rows.length || 1 : (pg?.pageSize ?? 10);
  const current = pg?.current ?? page;
  const total = pg?.total ?? rows.length;
  // server-side paging hands only the current page; local paging slices
  const shown = total > rows.length ? rows : rows.slice((current - 1) * pageSize, current * pageSize);
  const rest = Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('data-')));
  const spinning = typeof loading === 'object' ? !!loading.spinning : !!loading;
  const emptyText =
    typeof locale?.emptyText === 'function' ? locale.emptyText() : (locale?.emptyText ?? null);

  return (
    <div className="rtable" {...rest}>
      <Spin spinning={spinning}>
        {shown.length === 0 ? (
          (emptyText ?? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />)
        ) : (
          <div className="rtable-list">
            {shown.map((record, i) => {
              const index = (current - 1) * pageSize + i;
              const attrs = (onRow?.(record, index) ?? {}) as HTMLAttributes<HTMLDivElement>;
              const extraClass =
                typeof rowClassName === 'function' ? rowClassName(record, index, 0) : (rowClassName ?? '');
              const [head, ...body] = cols;
              return (
                <div
                  key={keyOf(rowKey, record, index)}
                  {...attrs}
                  className={['rtable-card', extraClass, attrs.className].filter(Boolean).join(' ')}
                  data-clickable={attrs.onClick ? 'true' : undefined}
                >
                  {head ? <div className="rtable-head">{cell(head, record, index)}</div> : null}
                  {body.map((c, ci) => {
                    const v = cell(c, record, index);
                    if (v === null || v === undefined || v === '' || v === false) return null;
                    const title = titleOf(c);
                    return (
                      <div className="rtable-line" key={String(c.key ?? c.dataIndex ?? ci)}>
                        {title ? <span className="rtable-label">{title}</span> : null}
                        <span className="rtable-value">{v}</span>
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        )}
      </Spin>
      {pagination !== false && total > pageSize ? (
        <Pagination
          className="rtable-pager"
          size="small"
          simple
          current={current}
          pageSize={pageSize}
          total={total}
          onChange={(p, s) => {
            setPage(p);
            pg?.onChange?.(p, s);
          }}
        />
      ) : null}
    </div>
  );
}
