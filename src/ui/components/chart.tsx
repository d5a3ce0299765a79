import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Series {
  label: string;
  color: string;
  bars?: boolean;
  /** An opaque fill (for stacked bars, drawn largest first). */
  solid?: boolean;
}

/**
 * A uPlot chart: x is time (seconds) or categories (small integers: one tick each), one y per series. It takes its
 * container's width and redraws on resize. The caller gives the numbers as a table too, for screen readers.
 */
export function Chart({
  x,
  ys,
  series,
  height = 220,
  time = true,
  label,
}: {
  x: number[];
  ys: number[][];
  series: Series[];
  height?: number;
  time?: boolean;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const xs = useRef(x);
  xs.current = x;

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      scales: {
        x: time ? { time } : { time, range: (_u, min, max) => [min - 0.5, max + 0.5] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      legend: { live: time },
      axes: [
        time
          ? { stroke: '#555' }
          : {
              stroke: '#555',
              splits: () => xs.current,
              values: (_u, splits) => splits.map(String),
            },
        { stroke: '#555' },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: s.solid ? s.color : `${s.color}33`,
          ...(s.bars
            ? { paths: uPlot.paths.bars!({ size: [0.6, 40] }), points: { show: false } }
            : {}),
        })),
      ],
    };
    plot.current = new uPlot(opts, [x, ...ys] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => {
      plot.current?.setSize({ width: Math.max(200, el.clientWidth), height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [series.map((s) => s.label).join('|'), height, time]);

  useEffect(() => {
    plot.current?.setData([x, ...ys] as uPlot.AlignedData);
  }, [x, ys]);

  return <div class="chart" ref={box} role="img" aria-label={label} />;
}
