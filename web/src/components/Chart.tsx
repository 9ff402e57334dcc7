// One ECharts chart, tree-shaken: only the line, bar and pie series, the grid,
// tooltip and legend, drawn with the SVG renderer (crisp, and testable in jsdom).
import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface ChartProps {
  option: EChartsCoreOption;
  label: string;
  height?: number;
  onClick?: (params: { dataIndex: number; seriesName?: string; name?: string }) => void;
}

export function Chart({ option, label, height = 180, onClick }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;
  const [dark, setDark] = useState(() => document.documentElement.dataset.theme === 'dark');
  useEffect(() => {
    const on = () => setDark(document.documentElement.dataset.theme === 'dark');
    window.addEventListener('sei:theme', on);
    return () => window.removeEventListener('sei:theme', on);
  }, []);
  useEffect(() => {
    if (!ref.current) return;
    let c: echarts.ECharts;
    try {
      c = echarts.init(ref.current, dark ? 'dark' : undefined, { renderer: 'svg' });
    } catch {
      return; // no layout (tests): the label and the table stay
    }
    chart.current = c;
    c.on('click', (p: any) => clickRef.current?.(p));
    const resize = () => c.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      c.dispose();
      chart.current = null;
    };
  }, [dark]); // the theme is fixed at init: a new theme draws the chart anew
  useEffect(() => {
    chart.current?.setOption({ backgroundColor: 'transparent', animation: false, ...option }, true);
  }, [option, dark]);
  return <div ref={ref} className="chart" role="img" aria-label={label} style={{ height }} />;
}
