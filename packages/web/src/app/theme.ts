import {
  type CSSVariablesResolver,
  createTheme,
  darken,
  defaultVariantColorsResolver,
  parseThemeColor,
  type VariantColorsResolver,
} from '@mantine/core';

/**
 * Every text reaches WCAG AA contrast (4.5:1), checked by axe in the browser tests: Mantine's
 * defaults draw light and outline badges, links and filled buttons in shade 6, which is too pale
 * on white. Light and outline variants take shade 9 darkened by a third for their text (shade 9
 * alone is still 3.8:1 for green on its light background), filled ones pick black or white text
 * by luminance (0.179 is where both give the same contrast), and the primary colour is used in
 * shade 8.
 */
const legibleVariants: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== 'light' && input.variant !== 'outline' && input.variant !== 'subtle') return colors;
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor) return colors;
  const shades = input.theme.colors[parsed.color];
  if (!shades) return colors;
  const text = darken(shades[9], 0.35);
  return {
    ...colors,
    color: text,
    hoverColor: text,
    ...(input.variant === 'outline' ? { border: `1px solid ${text}` } : {}),
  };
};

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'sm',
  autoContrast: true,
  luminanceThreshold: 0.179,
  variantColorResolver: legibleVariants,
});

/** Mantine's "dimmed" grey (gray.6) is 3.3:1 on white; gray.7 keeps secondary text secondary and legible. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
